package remotefs

import (
	"strconv"
	"strings"
)

// FromSettings reads the FTP/SFTP login of a profile (backend/config keys
// shop.ftp.* and shop.ssh.*). missing lists required settings left empty.
func FromSettings(v map[string]string) (cfg Config, missing []string) {
	for _, k := range []string{"shop.ftp.host", "shop.ftp.user"} {
		if strings.TrimSpace(v[k]) == "" {
			missing = append(missing, k)
		}
	}
	port, _ := strconv.Atoi(v["shop.ftp.port"])
	protocol := v["shop.ftp.protocol"]
	if protocol == "" {
		protocol = Default
	}
	return Config{Protocol: protocol, Host: strings.TrimSpace(v["shop.ftp.host"]), Port: port,
		User: v["shop.ftp.user"], Password: v["shop.ftp.password"], PrivateKey: v["shop.ssh.privateKey"],
		HostKey: v["shop.ssh.hostKey"], CertFingerprint: v["shop.ftp.certFingerprint"],
		AllowPlain: v["shop.ftp.plainOK"] == "true"}, missing
}
