package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/factgraph/factgraph/internal/testkit"
)

// TestWebPageAsOf sets the page's "As of" day: the answer is the one of the
// documents published by then, the URL keeps the day, and a link with
// as_of= fills the field in.
func TestWebPageAsOf(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	base, _ := startServer(t, New(testkit.StoryStore(t), Config{}))
	ctx := browser(t, 1280, 800)
	status := `document.querySelector("#status").textContent`
	steps(t, ctx,
		chromedp.Navigate(base+"/?q="+url.QueryEscape("Japan -> negotiatingRAAWith")),
		chromedp.WaitVisible(`#table tbody tr.result`),
	)
	if rows := run(t, ctx, chromedp.Text(`#table tbody`)); strings.Contains(rows, "Philippines") {
		t.Errorf("now, the Philippines RAA is in force, not negotiated:\n%s", rows)
	}
	steps(t, ctx, chromedp.SetValue(`#as-of`, "2024-06-01"), chromedp.Click(`#run`))
	waitFor(t, ctx, status+`.startsWith("2 rows")`, "as of 2024-06-01 did not answer France and the Philippines", status)
	if rows := run(t, ctx, chromedp.Text(`#table tbody`)); !strings.Contains(rows, "Philippines") || !strings.Contains(rows, "Additionally, it has agreed with the Philippines") {
		t.Errorf("as of 2024-06-01, with its evidence:\n%s", rows)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "as_of=2024-06-01") {
		t.Errorf("the URL does not keep the day: %s", loc)
	}
	steps(t, ctx, chromedp.Navigate(base+"/?as_of=2024-08-01&q="+url.QueryEscape("Japan -> negotiatingRAAWith")))
	waitFor(t, ctx, status+`.startsWith("1 row")`, "the link's as_of did not apply", status)
	if day := run(t, ctx, chromedp.Value(`#as-of`)); day != "2024-08-01" {
		t.Errorf("the field shows %q, want the link's day", day)
	}
}
