package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Signals in the REPL.
//
// main runs every command under signal.NotifyContext(SIGINT, SIGTERM): the
// first SIGINT or SIGTERM cancels the root context, which ends any command.
// In the REPL, Ctrl-C must only cancel the running query (or, at the prompt,
// the unfinished input), like psql or python. So a session:
//
//   - runs on context.WithoutCancel(root), cancelled only by the session
//     itself, so the SIGINT that cancels root does not reach its queries;
//   - catches SIGINT itself (signal.Notify): during a query it cancels that
//     query's context; at the prompt it marks the pending input to be dropped
//     (liner reads Ctrl-C as a key, with ISIG off, and returns
//     liner.ErrPromptAborted instead);
//   - also catches SIGTERM itself, because once a SIGINT has cancelled root,
//     NotifyContext's channel stays registered and swallows a later SIGTERM;
//     SIGTERM ends the session;
//   - ends when root is cancelled for any reason but SIGINT (SIGTERM, a
//     caller's cancel), recognised by context.Cause(root);
//   - stops its signal handling (signal.Stop) when the REPL returns.
//
// The prompt is read in a goroutine so that an ending session does not wait
// for the next line of input.

// errQueryInterrupted is the cause of a query's context when Ctrl-C cancels it.
var errQueryInterrupted = errors.New("query cancelled by interrupt")

// interruptCause is the text of context.Cause(ctx) for a context that
// signal.NotifyContext cancelled on SIGINT (TestInterruptCause pins it).
var interruptCause = os.Interrupt.String() + " signal received"

type replSession struct {
	context.Context
	end   context.CancelCauseFunc
	hooks replHooks

	mu          sync.Mutex
	cancelQuery context.CancelCauseFunc // of the running query; nil at the prompt
	interrupted bool                    // a SIGINT came while no query ran
}

// startSession starts catching SIGINT and SIGTERM; stop undoes that and
// returns once the signal goroutine is gone.
func startSession(root context.Context) (s *replSession, stop func()) {
	ctx, end := context.WithCancelCause(context.WithoutCancel(root))
	s = &replSession{Context: ctx, end: end, hooks: hooksFrom(root)}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		defer close(done)
		rootDone := root.Done()
		for {
			select {
			case sig := <-sigs:
				if sig != os.Interrupt {
					s.end(fmt.Errorf("%v signal received", sig))
					continue
				}
				s.interrupt()
			case <-rootDone:
				if cause := context.Cause(root); cause == nil || cause.Error() != interruptCause {
					s.end(cause)
				}
				rootDone = nil // SIGINT: handled through sigs
			case <-ctx.Done():
				return
			}
		}
	}()
	return s, func() {
		signal.Stop(sigs)
		end(nil)
		<-done
	}
}

// interrupt handles a SIGINT: it cancels the running query, or else marks the
// pending input to be dropped.
func (s *replSession) interrupt() {
	s.mu.Lock()
	duringQuery := s.cancelQuery != nil
	if duringQuery {
		s.cancelQuery(errQueryInterrupted)
	} else {
		s.interrupted = true
	}
	s.mu.Unlock()
	s.hooks.interrupted(duringQuery)
}

// takeInterrupt reports whether a SIGINT came at the prompt since last asked.
func (s *replSession) takeInterrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.interrupted
	s.interrupted = false
	return i
}

// startQuery returns the context of a query, which SIGINT cancels until done
// is called.
func (s *replSession) startQuery() (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(s)
	s.mu.Lock()
	s.cancelQuery = cancel
	s.interrupted = false
	s.mu.Unlock()
	s.hooks.queryStarted()
	return ctx, func() {
		s.mu.Lock()
		s.cancelQuery = nil
		s.mu.Unlock()
		cancel(nil)
	}
}

// prompt reads a line, or returns the session's end error if it ends first.
// A read cut short that way is left to finish (or not) in its goroutine.
func (s *replSession) prompt(r lineReader, prompt string) (string, error) {
	type result struct {
		line string
		err  error
	}
	c := make(chan result, 1)
	go func() {
		line, err := r.Prompt(prompt)
		c <- result{line, err}
	}()
	select {
	case res := <-c:
		return res.line, res.err
	case <-s.Done():
		return "", s.Err()
	}
}

// Err returns nil while the session runs, and then why it ended.
func (s *replSession) Err() error {
	if s.Context.Err() == nil {
		return nil
	}
	return context.Cause(s.Context)
}

// replHooks let tests follow the REPL's signal handling; the zero value does
// nothing.
type replHooks struct {
	Prompting    func(pending int)      // the REPL waits for a line; pending lines are buffered
	QueryStarted func()                 // a query runs and SIGINT now cancels it
	Interrupted  func(duringQuery bool) // the REPL took a SIGINT
}

type replHooksKey struct{}

func withReplHooks(ctx context.Context, h replHooks) context.Context {
	return context.WithValue(ctx, replHooksKey{}, h)
}

func hooksFrom(ctx context.Context) replHooks {
	h, _ := ctx.Value(replHooksKey{}).(replHooks)
	return h
}

func (h replHooks) prompting(pending int) {
	if h.Prompting != nil {
		h.Prompting(pending)
	}
}

func (h replHooks) queryStarted() {
	if h.QueryStarted != nil {
		h.QueryStarted()
	}
}

func (h replHooks) interrupted(duringQuery bool) {
	if h.Interrupted != nil {
		h.Interrupted(duringQuery)
	}
}
