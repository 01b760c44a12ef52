package testsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
)

// A benchmark that measures a process's own time and memory runs its work
// in a child: the test binary started again with an environment variable
// holding the job as JSON. TestMain calls AsChild first; the benchmark
// calls StartChild. The child's peak resident set comes back with its
// result, read in the child (PeakRSSMB).

// childAnswer is what a child prints.
type childAnswer[R any] struct {
	Result R
	RSSMB  float64
	Err    string
}

// AsChild does the job when this process was started by StartChild under
// env, prints its result, and reports whether it did (TestMain then returns
// without running the tests).
func AsChild[J, R any](env string, work func(J) (R, error)) bool {
	raw := os.Getenv(env)
	if raw == "" {
		return false
	}
	var out childAnswer[R]
	var job J
	err := json.Unmarshal([]byte(raw), &job)
	if err == nil {
		out.Result, err = work(job)
	}
	if err != nil {
		out.Err = err.Error()
	}
	out.RSSMB = PeakRSSMB()
	json.NewEncoder(os.Stdout).Encode(out)
	return true
}

// StartChild runs job in a child under env and returns its result and its
// peak resident set in MB; a child that fails fails tb.
func StartChild[R any](tb TB, env string, job any) (R, float64) {
	tb.Helper()
	var out childAnswer[R]
	self, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	raw, _ := json.Marshal(job)
	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+string(raw))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("child: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		tb.Fatalf("child said %q: %v\n%s", stdout.String(), err, stderr.String())
	}
	if out.Err != "" {
		tb.Fatalf("child: %s", errors.New(out.Err))
	}
	return out.Result, out.RSSMB
}
