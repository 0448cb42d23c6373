package w3c

// Known lists the tests that are known to fail, by IRI, each with its
// reason. Every other failure is a regression, and a listed test that
// passes is an entry to remove: TestSharedW3C fails on both. The list is
// empty: every test of the Manifests passes.
var Known = map[string]string{}
