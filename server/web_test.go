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

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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
	// Headless Chromium keeps windows at least 500 pixels wide: emulate the
	// viewport, so that a phone-width test sees a phone's width.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
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

// waitFor polls a JavaScript expression until it is true, failing the test
// (with what, and the value of show) after 10 seconds.
func waitFor(t *testing.T, ctx context.Context, expr, what, show string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](show))
		t.Fatalf("%s: %v (%s)", what, err, got)
	}
}

// queryRequests counts the page's requests to the query API.
const queryRequests = `performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v1/query")).length`

// webPage starts a server with cfg and a headless browser with a w×h viewport
// for a browser test, which it skips under -short.
func webPage(t *testing.T, cfg Config, w, h int) (base string, ctx context.Context) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	base, _ = startServer(t, newServer(t, cfg))
	return base, browser(t, w, h)
}

func TestWebPage(t *testing.T) {
	base, ctx := webPage(t, Config{}, 1280, 800)

	// A permalink runs its query: the table, the graph and the evidence.
	steps(t, ctx,
		chromedp.Navigate(base+"/?q="+url.QueryEscape("Japan -> hasRAAWith")),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	rows := run(t, ctx, chromedp.Text(`#table tbody`))
	evidence := run(t, ctx, chromedp.Text(`#table tbody tr.evidence`))
	for _, want := range []string{"Australia", "United Kingdom", "fg:UnitedKingdom"} {
		if !strings.Contains(rows, want) {
			t.Errorf("table lacks %q:\n%s", want, rows)
		}
	}
	if !strings.Contains(evidence, "Japan has RAAs with Australia and Britain") || !strings.Contains(evidence, "Kyodo, 2024-05-02") {
		t.Errorf("evidence row = %q", evidence)
	}
	// The two answers and Japan, the node their evidence links them to (the
	// graph is drawn just after the table).
	waitFor(t, ctx, nodeCount+" === 3", "the graph view did not draw 3 nodes", nodeCount+" + ''")
	// Graph labels keep a readable size on the screen whatever the fit or zoom.
	labelPx := `Math.min(...[...document.querySelectorAll("#graph text")].map((e) => e.getBoundingClientRect().height))`
	if px := run(t, ctx, chromedp.Evaluate[float64](labelPx)); px < 11 {
		t.Errorf("graph labels are %.1fpx high on the screen, want at least 11", px)
	}
	screenshot(t, ctx, "permalink.png")

	// The wheel scrolls the page; Ctrl+wheel zooms the graph.
	viewBox := `document.querySelector("#graph").getAttribute("viewBox")`
	before := run(t, ctx, chromedp.Evaluate[string](viewBox))
	wheel := func(mods int64) chromedp.Action[chromedp.Void] {
		// DeltaX is required, but left out of the message when zero.
		return chromedp.MouseEvent("mouseWheel", 950, 500, func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY, p.Modifiers = 1e-4, -200, mods })
	}
	steps(t, ctx, wheel(0), chromedp.Sleep(200*time.Millisecond))
	if after := run(t, ctx, chromedp.Evaluate[string](viewBox)); after != before {
		t.Errorf("a plain wheel zoomed the graph: %s -> %s", before, after)
	}
	steps(t, ctx, wheel(int64(chromedp.ModifierCtrl)), chromedp.Sleep(200*time.Millisecond))
	if after := run(t, ctx, chromedp.Evaluate[string](viewBox)); after == before {
		t.Error("Ctrl+wheel did not zoom the graph")
	}
	if px := run(t, ctx, chromedp.Evaluate[float64](labelPx)); px < 11 {
		t.Errorf("zoomed in, graph labels are %.1fpx high on the screen, want at least 11", px)
	}
	steps(t, ctx, chromedp.Click(`#zoom-fit`))
	// (The layout eases for a second, so the fitted view may have moved a little.)
	size := func(vb string) string { f := strings.Fields(vb); return strings.Join(f[len(f)-2:], " ") }
	if after := run(t, ctx, chromedp.Evaluate[string](viewBox)); size(after) != size(before) {
		t.Errorf("Fit did not fit the graph again: %s, want the size of %s", after, before)
	}

	// Sorting by a column from the keyboard keeps the focus on its header.
	focusedHeader := `document.activeElement.tagName === "BUTTON" ? document.activeElement.closest("th").ariaSort + " " + document.activeElement.textContent : document.activeElement.tagName`
	steps(t, ctx, chromedp.Focus(`#table thead th button`), chromedp.KeyEvent("\r"))
	if got := run(t, ctx, chromedp.Evaluate[string](focusedHeader)); got != "ascending node ▲" {
		t.Errorf("after Enter on the header, the focus is on %q, want the sorted header", got)
	}
	steps(t, ctx, chromedp.KeyEvent("\r"))
	first := run(t, ctx, chromedp.Text(`#table tbody tr.result td`))
	if got := run(t, ctx, chromedp.Evaluate[string](focusedHeader)); got != "descending node ▼" || first != "United Kingdom" {
		t.Errorf("after a second Enter, the focus is on %q and the first row is %q", got, first)
	}

	// Clicking a node expands its neighbours; only result rows look like them.
	steps(t, ctx, chromedp.Click(`#graph .node[data-id="fg:Japan"] circle`))
	waitFor(t, ctx, nodeCount+" > 3", "expanding Japan added no node", nodeCount+" + ''")
	if rowNodes := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#graph .node.row").length`)); rowNodes != 2 {
		t.Errorf("after expanding, %d nodes look like result rows, want 2", rowNodes)
	}

	// Enter on a focused node expands it and leaves the focus on it.
	steps(t, ctx, chromedp.Focus(`#graph .node[data-id="fg:Australia"]`), chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector("#status").textContent.startsWith("expanded Australia")`, "Enter did not expand Australia", `document.querySelector("#status").textContent`)
	if id := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.dataset.id || document.activeElement.tagName`)); id != "fg:Australia" {
		t.Errorf("after expanding, the focus is on %q, want the node fg:Australia", id)
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

	// The caret is the server's: a tab before it lines up in the page too.
	steps(t, ctx,
		chromedp.SetValue(`#q`, "Japan ->\t-> hasRAAWith"),
		chromedp.Click(`#run`),
	)
	waitFor(t, ctx, `document.querySelector("#error .snippet").textContent.includes("\t^")`, "no error for the query with a tab", `document.querySelector("#error").textContent`)
	caret := `(() => { const r = (e) => e.getBoundingClientRect().left;
		const pre = document.querySelector("#error .snippet"), range = document.createRange();
		const text = pre.firstChild, at = text.textContent.indexOf("-> hasRAAWith");
		range.setStart(text, at); range.setEnd(text, at + 1);
		return Math.abs(r(range) - r(pre.querySelector(".caret"))) < 2; })()`
	if !run(t, ctx, chromedp.Evaluate[bool](caret)) {
		t.Errorf("with a tab, the caret is not under the error:\n%s", run(t, ctx, chromedp.Text(`#error`)))
	}
}

// Back and Forward show the query of the URL, in its language (none: path);
// running the same query again adds no history entry; back at the bare page,
// nothing of the old result is left.
func TestWebPageHistory(t *testing.T) {
	base, ctx := webPage(t, Config{}, 1280, 800)
	status := `document.querySelector("#status").textContent`
	steps(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#q`),
		chromedp.SetValue(`#q`, "Japan -> hasRAAWith"),
		chromedp.Click(`#run`),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	if loc := run(t, ctx, chromedp.Location()); strings.Contains(loc, "lang=") {
		t.Errorf("a path query's URL names its language: %s", loc)
	}
	length := run(t, ctx, chromedp.Evaluate[int](`history.length`))

	// The Gizmo example, picked with the mouse (a pointer event, then the change).
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const ex = document.querySelector("#examples");
		ex.dispatchEvent(new PointerEvent("pointerdown"));
		ex.value = [...ex.options].find((o) => o.textContent.includes("Gizmo")).value;
		ex.dispatchEvent(new Event("change"));
	})()`))
	waitFor(t, ctx, `location.search.includes("lang=gizmo") && `+status+`.startsWith("1 row")`, "the Gizmo example did not run", status)
	gizmo := run(t, ctx, chromedp.Text(`#table tbody`))
	if !strings.Contains(gizmo, "Emmanuel Macron") || !strings.Contains(gizmo, "evidence: 1 fact") {
		t.Errorf("the Gizmo example's result:\n%s", gizmo)
	}
	// Running it again adds no history entry.
	steps(t, ctx, chromedp.Click(`#run`), chromedp.Sleep(300*time.Millisecond))
	if n := run(t, ctx, chromedp.Evaluate[int](`history.length`)); n != length+1 {
		t.Errorf("history has %d entries after running a query twice, want %d", n, length+1)
	}

	// Back: the path query again, as path.
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	waitFor(t, ctx, `document.querySelector("#lang").value === "path" && `+status+`.startsWith("2 rows")`,
		"Back did not run the path query as path", `document.querySelector("#lang").value + ": " + `+status)
	if rows := run(t, ctx, chromedp.Text(`#table tbody`)); !strings.Contains(rows, "Australia") {
		t.Errorf("after Back, the table is:\n%s", rows)
	}

	// Back to the bare page: no query, no result, no status.
	steps(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	waitFor(t, ctx, `location.search === "" && document.querySelector("#results").hidden`, "Back to / left the result", `location.href`)
	left := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("#q").value + document.querySelector("#status").textContent +
		document.querySelector("#table").textContent + document.querySelector("#graph").textContent + (document.querySelector("#error").hidden ? "" : "error")`))
	if left != "" {
		t.Errorf("back at /, the page still shows %q", left)
	}

	// An unknown language in a link falls back to path, and says so.
	steps(t, ctx,
		chromedp.Navigate(base+"/?lang=Pathh&q="+url.QueryEscape("Japan -> hasRAAWith")),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	if lang, note := run(t, ctx, chromedp.Value(`#lang`)), run(t, ctx, chromedp.Text(`#note`)); lang != "path" || !strings.Contains(note, "Pathh") {
		t.Errorf("with lang=Pathh the language is %q and the note %q", lang, note)
	}
}

// Browsing the examples menu with the arrow keys fills the query box and runs
// nothing; Enter runs the example.
func TestWebPageExamplesKeyboard(t *testing.T) {
	base, ctx := webPage(t, Config{}, 1280, 800)
	steps(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#examples`),
		chromedp.Focus(`#examples`),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.Sleep(500*time.Millisecond),
	)
	q := run(t, ctx, chromedp.Value(`#q`))
	n := run(t, ctx, chromedp.Evaluate[int](queryRequests))
	loc := run(t, ctx, chromedp.Location())
	if !strings.Contains(q, "[type = RAA]") || n != 0 || strings.Contains(loc, "q=") {
		t.Errorf("after three ArrowDowns: query box %q, %d queries run, URL %s; want the third example and nothing run", q, n, loc)
	}
	steps(t, ctx, chromedp.KeyEvent("\r"), chromedp.WaitVisible(`#table tbody tr.result`))
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "RAA") {
		t.Errorf("Enter on the menu ran no query: %s", loc)
	}
}

// The embed view shows query errors and cut results, not only rows.
func TestWebPageEmbedErrorAndTruncation(t *testing.T) {
	base, ctx := webPage(t, Config{MaxRows: 1}, 390, 844)
	steps(t, ctx,
		chromedp.Navigate(base+"/embed?q="+url.QueryEscape("Japan -> hasRAAWith")),
		chromedp.WaitVisible(`#table tbody tr.result`),
		chromedp.WaitVisible(`#truncated`),
	)
	if note := run(t, ctx, chromedp.Text(`#truncated`)); note != "cut at 1 row: more exist" {
		t.Errorf("truncation note = %q", note)
	}
	screenshot(t, ctx, "embed-truncated.png")

	steps(t, ctx,
		chromedp.Navigate(base+"/embed?q="+url.QueryEscape("Japan -> -> hasRAAWith")),
		chromedp.WaitVisible(`#error .snippet`),
	)
	errText := run(t, ctx, chromedp.Text(`#error`))
	if !strings.Contains(errText, "expected predicate") || !strings.Contains(errText, "^") {
		t.Errorf("embed error box: %q", errText)
	}
	if overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); overflow {
		t.Error("the embedded error is wider than a phone screen")
	}
	screenshot(t, ctx, "embed-error.png")
}

func TestWebPageEmbedAndPhone(t *testing.T) {
	base, ctx := webPage(t, Config{}, 390, 844)
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
	if width := run(t, ctx, chromedp.Evaluate[int](`window.innerWidth`)); overflow || width != 390 {
		t.Errorf("the page is %d pixels wide, wider than the 390 of a phone screen: %v", width, overflow)
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

// TestWebGraphNamesEvidenceNodes checks that nodes the graph view draws from
// the evidence alone (the agreements between Japan and its partners) carry
// their names, which the server sends with each fact, not their IRIs.
func TestWebGraphNamesEvidenceNodes(t *testing.T) {
	base, ctx := webPage(t, Config{}, 1280, 800)
	steps(t, ctx,
		chromedp.Navigate(base+"/?q="+url.QueryEscape("Japan <- party [status = in-force] -> party except (Japan)")),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	waitFor(t, ctx, nodeCount+" >= 5", "the graph drew too few nodes", nodeCount+" + ''")
	labels := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#graph .node text")].map((e) => e.textContent).join(" | ")`))
	if !strings.Contains(labels, "Japan-Australia reciprocal") || strings.Contains(labels, "RAA-Japan-Australia") {
		t.Errorf("graph labels %q: want the agreement's name, not its IRI", labels)
	}
}
