package pgha

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Cluster is the three-node set-up of .ci/pgcluster.sh, driven through the
// script.
type Cluster struct {
	script string
	// Primary reaches whichever of the two data nodes is primary (both hosts,
	// target_session_attrs=read-write); Replica is the read replica.
	Primary, Replica string
}

// OpenCluster asks the script (after its start) for the set-up's URLs.
func OpenCluster(ctx context.Context, script string) (*Cluster, error) {
	c := &Cluster{script: script}
	out, err := c.run(ctx, "env")
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "PRIMARY_URL":
			c.Primary = v
		case "REPLICA_URL":
			c.Replica = v
		}
	}
	if c.Primary == "" || c.Replica == "" {
		return nil, fmt.Errorf("%s env printed no URLs:\n%s", script, out)
	}
	return c, nil
}

func (c *Cluster) run(ctx context.Context, cmd string) ([]byte, error) {
	out, err := exec.CommandContext(ctx, "bash", c.script, cmd).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, bytes.TrimSpace(ee.Stderr))
		}
		return out, fmt.Errorf("%s %s: %w", c.script, cmd, err)
	}
	return out, nil
}

// Failover kills the primary with SIGKILL (the whole server at once, as a
// crash would) and promotes the standby.
func (c *Cluster) Failover(ctx context.Context) error {
	_, err := c.run(ctx, "failover")
	return err
}

// Rejoin makes the killed node the new primary's synchronous standby.
func (c *Cluster) Rejoin(ctx context.Context) error {
	_, err := c.run(ctx, "rejoin")
	return err
}

// Status returns one line per node: name, port, role.
func (c *Cluster) Status(ctx context.Context) (string, error) {
	out, err := c.run(ctx, "status")
	return string(out), err
}
