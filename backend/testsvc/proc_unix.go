//go:build unix

package testsvc

import (
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// ownGroup makes cmd lead a process group of its own, so that stopping it
// stops what it starts, and runs it as login (its user and groups) unless
// login is "".
func ownGroup(cmd *exec.Cmd, login string) error {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if login != "" {
		cred, err := credential(login)
		if err != nil {
			return err
		}
		attr.Credential = cred
	}
	cmd.SysProcAttr = attr
	return nil
}

// signalGroup sends sig to the process group cmd leads.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) { syscall.Kill(-cmd.Process.Pid, sig) }

// running reports whether a process with this id exists.
func running(pid int) bool { return syscall.Kill(pid, 0) != syscall.ESRCH }

// credential is login's user, primary group and other groups.
func credential(login string) (*syscall.Credential, error) {
	u, err := user.Lookup(login)
	if err != nil {
		return nil, err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	c := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	groups, _ := u.GroupIds()
	for _, g := range groups {
		n, _ := strconv.Atoi(g)
		c.Groups = append(c.Groups, uint32(n))
	}
	return c, nil
}
