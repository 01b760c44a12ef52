// Command licensegen is the vendor's tool for S-Connect licences.
//
//	licensegen keygen -out vendor.key          a new key pair; prints the public key for the build
//	licensegen issue -key vendor.key -licensee "…" -email … -shop https://… [-shop …] \
//	        -modules orders,voorraad -until 2027-12-31 [-from 2026-01-01] > klant.lic
//	licensegen verify -pub BASE64 klant.lic    checks a licence against a public key
//
// The private key file stays with the vendor: never commit it. Build the
// program with its public key: make build LICENSE_PUBLIC_KEY=BASE64.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/license"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: licensegen keygen|issue|verify …")
		return 2
	}
	fl := flag.NewFlagSet("licensegen "+args[0], flag.ContinueOnError)
	fl.SetOutput(stderr)
	switch args[0] {
	case "keygen":
		out := fl.String("out", "", "file for the private key (mode 0600)")
		if fl.Parse(args[1:]) != nil || *out == "" {
			return 2
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if err := os.WriteFile(*out, []byte(base64.StdEncoding.EncodeToString(priv)+"\n"), 0o600); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "public key (for the build): %s\nkey id: %s\n", base64.StdEncoding.EncodeToString(pub), license.KeyID(pub))
		return 0
	case "issue":
		keyFile := fl.String("key", "", "private key file from keygen")
		var l license.License
		var shops list
		fl.StringVar(&l.Licensee, "licensee", "", "licensee (company)")
		fl.StringVar(&l.Email, "email", "", "licensee e-mail")
		fl.Var(&shops, "shop", "webshop URL (repeat for several)")
		modules := fl.String("modules", license.ModuleOrders, "orders[,voorraad]")
		from := fl.String("from", time.Now().Format(time.DateOnly), "valid from (YYYY-MM-DD)")
		until := fl.String("until", "", "valid until, exclusive (YYYY-MM-DD)")
		if fl.Parse(args[1:]) != nil {
			return 2
		}
		raw, err := os.ReadFile(*keyFile)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		keyBytes, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil || len(keyBytes) != ed25519.PrivateKeySize {
			fmt.Fprintln(stderr, "licensegen: not a private key file")
			return 1
		}
		if l.Licensee == "" || len(shops) == 0 || *until == "" {
			fmt.Fprintln(stderr, "licensegen: -licensee, -shop and -until are required")
			return 2
		}
		if l.ValidFrom, err = time.Parse(time.DateOnly, *from); err != nil {
			fmt.Fprintln(stderr, "licensegen: -from:", err)
			return 2
		}
		if l.ValidUntil, err = time.Parse(time.DateOnly, *until); err != nil {
			fmt.Fprintln(stderr, "licensegen: -until:", err)
			return 2
		}
		for _, m := range strings.Split(*modules, ",") {
			if m = strings.TrimSpace(m); m != license.ModuleOrders && m != license.ModuleVoorraad {
				fmt.Fprintf(stderr, "licensegen: unknown module %q\n", m)
				return 2
			}
			l.Modules = append(l.Modules, m)
		}
		id := make([]byte, 8)
		rand.Read(id)
		l.ID, l.Shops, l.Issued = hex.EncodeToString(id), shops, time.Now().UTC().Truncate(time.Second)
		text, err := license.Issue(l, ed25519.PrivateKey(keyBytes))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprint(stdout, text)
		return 0
	case "verify":
		pubB64 := fl.String("pub", license.PublicKey, "public key, base64")
		if fl.Parse(args[1:]) != nil || fl.NArg() != 1 {
			return 2
		}
		pub, err := base64.StdEncoding.DecodeString(*pubB64)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			fmt.Fprintln(stderr, "licensegen: -pub is not a public key")
			return 2
		}
		file, err := os.ReadFile(fl.Arg(0))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		l, err := license.Parse(file, pub)
		if err == nil {
			err = l.Check(time.Now(), "")
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "ok: %s, %v, %v until %s\n", l.Licensee, l.Shops, l.Modules, l.ValidUntil.Format(time.DateOnly))
		return 0
	}
	fmt.Fprintf(stderr, "licensegen: unknown command %q\n", args[0])
	return 2
}
