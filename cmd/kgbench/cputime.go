package main

import (
	"fmt"
	"syscall"
	"time"
)

// usage is what the process has used so far: CPU time (user and system, all
// threads), page faults that needed no I/O and ones that did, and the times
// its threads waited (voluntary context switches: for I/O, a lock, a fault).
type usage struct {
	cpu          time.Duration
	minor, major int64
	waits        int64
}

func usageNow() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	return usage{
		cpu:   time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		minor: ru.Minflt, major: ru.Majflt, waits: ru.Nvcsw,
	}
}

func (u usage) sub(v usage) usage {
	return usage{cpu: u.cpu - v.cpu, minor: u.minor - v.minor, major: u.major - v.major, waits: u.waits - v.waits}
}

// faultsWaits shows minor/major faults and waits as "MINOR/MAJOR WAITS".
func (u usage) faultsWaits() string {
	return fmt.Sprintf("%d/%d %d", u.minor, u.major, u.waits)
}
