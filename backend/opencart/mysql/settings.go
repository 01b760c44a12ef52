package mysql

import (
	"strconv"
	"strings"

	"github.com/s-connect/s-connect/backend/sshconn"
)

// FromSettings reads a profile's settings (backend/config keys shop.db.*,
// shop.tablePrefix and, for the tunnel, the SSH login of shop.ftp.* and
// shop.ssh.*). missing lists the required settings left empty.
func FromSettings(v map[string]string) (db Config, tunnel *sshconn.Config, missing []string) {
	need := []string{"shop.db.host", "shop.db.name", "shop.db.user"}
	if v["shop.db.viaSSH"] == "true" {
		need = append(need, "shop.ftp.host", "shop.ftp.user")
	}
	for _, k := range need {
		if strings.TrimSpace(v[k]) == "" {
			missing = append(missing, k)
		}
	}
	port, _ := strconv.Atoi(v["shop.db.port"])
	db = Config{Host: strings.TrimSpace(v["shop.db.host"]), Port: port, Database: v["shop.db.name"],
		User: v["shop.db.user"], Password: v["shop.db.password"], Prefix: v["shop.tablePrefix"],
		// The tunnel encrypts already; the setting's default is on.
		TLS: v["shop.db.viaSSH"] != "true" && v["shop.db.tls"] != "false", CertFingerprint: v["shop.db.certFingerprint"]}
	if v["shop.db.viaSSH"] == "true" {
		sshPort, _ := strconv.Atoi(v["shop.ftp.port"])
		if v["shop.ftp.protocol"] != "sftp" {
			sshPort = 22 // the FTP port is not the SSH port
		}
		tunnel = &sshconn.Config{Host: strings.TrimSpace(v["shop.ftp.host"]), Port: sshPort, User: v["shop.ftp.user"],
			Password: v["shop.ftp.password"], PrivateKey: v["shop.ssh.privateKey"], HostKey: v["shop.ssh.hostKey"]}
	}
	return db, tunnel, missing
}
