package server

// The web page, tested in a real browser: headless Chromium driven by chromedp
// against a server on a random loopback port.

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium binary, or skips (fails, when
// FACTGRAPH_REQUIRE_BROWSER is set, as .ci/run sets it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("FACTGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FACTGRAPH_REQUIRE_BROWSER") != "" {
		t.Fatal("FACTGRAPH_REQUIRE_BROWSER is set but no Chromium was found")
	}
	t.Skip("browser test skipped: no Chromium found (apt-get install chromium, or set FACTGRAPH_CHROMIUM)")
	return ""
}

// browser starts headless Chromium with flags that keep it off the network
// (this machine has none) and returns a chromedp context.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// run runs an action that returns a value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// steps runs actions that return nothing, failing the test on error.
func steps(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

const nodeCount = `document.querySelectorAll("#graph .node").length`

func TestWebPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	base, _ := startServer(t, newServer(t, Config{}))
	ctx := browser(t, 1280, 800)

	// A permalink runs its query: the table, the graph and the evidence.
	steps(t, ctx,
		chromedp.Navigate(base+"/?q="+url.QueryEscape("Japan -> hasRAAWith")),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	rows := run(t, ctx, chromedp.Text(`#table tbody`))
	evidence := run(t, ctx, chromedp.Text(`#table tbody tr.evidence`))
	nodes := run(t, ctx, chromedp.Evaluate[int](nodeCount))
	for _, want := range []string{"Australia", "United Kingdom", "fg:UnitedKingdom"} {
		if !strings.Contains(rows, want) {
			t.Errorf("table lacks %q:\n%s", want, rows)
		}
	}
	if !strings.Contains(evidence, "Japan has RAAs with Australia and Britain") || !strings.Contains(evidence, "Kyodo, 2024-05-02") {
		t.Errorf("evidence row = %q", evidence)
	}
	// The two answers and Japan, the node their evidence links them to.
	if nodes != 3 {
		t.Errorf("graph view drew %d nodes, want 3", nodes)
	}
	screenshot(t, ctx, "permalink.png")

	// Clicking a node expands its neighbours.
	steps(t, ctx, chromedp.Click(`#graph .node[data-id="fg:Japan"] circle`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](nodeCount+" > 3", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("expanding Japan added no node: %v", err)
	}

	// A syntax error shows the message and a caret under its column.
	steps(t, ctx,
		chromedp.SetValue(`#q`, "Japan -> -> hasRAAWith"),
		chromedp.Click(`#run`),
		chromedp.WaitVisible(`#error`),
	)
	errText := run(t, ctx, chromedp.Text(`#error`))
	location := run(t, ctx, chromedp.Location())
	lines := strings.Split(errText, "\n")
	if len(lines) < 3 || !strings.Contains(lines[0], "1:10: expected predicate, found '->'") ||
		strings.Index(lines[2], "^") != strings.Index(lines[1], "-> hasRAAWith") {
		t.Errorf("error box:\n%s", errText)
	}
	if !strings.Contains(location, "q=Japan") {
		t.Errorf("running a query did not update the URL: %s", location)
	}
	screenshot(t, ctx, "syntax-error.png")
}

func TestWebPageEmbedAndPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	base, _ := startServer(t, newServer(t, Config{}))
	ctx := browser(t, 390, 844)
	steps(t, ctx,
		chromedp.Navigate(base+"/embed?q="+url.QueryEscape(`"Senkaku Islands" -> claimedBy`)),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	embedded := run(t, ctx, chromedp.Evaluate[bool](`document.body.classList.contains("embed")`))
	rows := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#table tbody tr.result").length`))
	overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if !embedded || rows != 1 {
		t.Errorf("embed view: embedded=%v rows=%d", embedded, rows)
	}
	if overflow {
		t.Error("the page is wider than a phone screen")
	}
	screenshot(t, ctx, "embed-phone.png")

	// Keyboard: focus the query box, type, run with Ctrl+Enter.
	steps(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#q`),
		chromedp.Focus(`#q`),
		chromedp.SendKeys(`#q`, "France <- leads"),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	if status := run(t, ctx, chromedp.Text(`#status`)); !strings.HasPrefix(status, "1 row") {
		t.Errorf("status after Ctrl+Enter = %q", status)
	}
}
