package pg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph/pg"
)

func TestParseSettings(t *testing.T) {
	for _, tc := range []struct {
		in, conn string
		replica  bool
		poll     time.Duration
		err      string
	}{
		{in: "postgres://u:p@h1:5432,h2:5433/kg?target_session_attrs=read-write",
			conn: "postgres://u:p@h1:5432,h2:5433/kg?target_session_attrs=read-write", poll: pg.DefaultReplicaPoll},
		{in: "postgres://h/kg?sslmode=disable&replica=memory&replica_poll=20ms",
			conn: "postgres://h/kg?sslmode=disable", replica: true, poll: 20 * time.Millisecond},
		{in: "postgres://h/kg?replica=none", conn: "postgres://h/kg", poll: pg.DefaultReplicaPoll},
		{in: "postgres://h/kg?replica=disk", err: "replica=disk: expected replica=memory"},
		{in: "postgres://h/kg?replica=memory&replica_wait=soon", err: "replica_wait=soon: expected a positive duration"},
		{in: "postgres://h/kg?replica_poll=1s", err: "add replica=memory"},
		{in: "postgres://h/kg?change_retention=0s", err: "change_retention=0s"},
	} {
		s, err := pg.ParseSettings(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseSettings(%q): %v, want an error with %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseSettings(%q): %v", tc.in, err)
		case s.Conn != tc.conn || s.Replica != tc.replica || s.ReplicaPoll != tc.poll:
			t.Errorf("ParseSettings(%q) = %+v, want conn %s, replica %v, poll %s", tc.in, s, tc.conn, tc.replica, tc.poll)
		}
	}
}
