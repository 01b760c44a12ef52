//go:build !unix

package testsvc

import (
	"errors"
	"os/exec"
	"syscall"
)

// The test services need process groups and throwaway logins: they run on
// Linux (as the harness does). Elsewhere the packages still compile, and a
// test that needs a service fails saying so.
var errNotUnix = errors.New("the test services (MariaDB, vsftpd, sshd, PHP) run on Linux only")

func ownGroup(*exec.Cmd, string) error { return errNotUnix }

func signalGroup(cmd *exec.Cmd, _ syscall.Signal) { cmd.Process.Kill() }

func running(int) bool { return true }
