package testsvc

import (
	"os"
	"strconv"
	"strings"
)

// PeakRSSMB is this process's peak resident set in MB: VmHWM of
// /proc/self/status, or -1 when it cannot be read. Benchmarks that run their
// work in a child process read it there; getrusage's maxrss is no use, as a
// child started by a large parent inherits the parent's figure through fork.
func PeakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return -1
			}
			return float64(kb) / 1024
		}
	}
	return -1
}
