#!/bin/bash
# pss.sh PID — the proportional set size (PSS) of a process and all its
# descendants (WebKit's helper processes included), from
# /proc/PID/smaps_rollup: one line per process, then the total, in MiB.
set -euo pipefail
root=$1
tree() {
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done
}
total=0
for p in $(tree "$root"); do
	kb=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
	[ -n "$kb" ] || kb=0
	printf '%8d  %6.1f MiB  %s\n' "$p" "$(echo "$kb/1024" | bc -l)" "$(tr -d '\0' </proc/"$p"/comm 2>/dev/null)"
	total=$((total + kb))
done
printf 'total     %6.1f MiB\n' "$(echo "$total/1024" | bc -l)"
