// Command vulndb turns a folder of OSV entries (the data/osv folder of the
// golang.org/x/vulndb module, fetched through the module proxy) into the
// v1 vulnerability database that govulncheck reads with -db file://…, so
// CI can check for known vulnerabilities where the public database is out
// of reach.
//
//	go run ./scripts/vulndb -osv DIR -out DIR
//
// The index names every entry of a module without a "fixed" version, so
// govulncheck fetches them all and decides from each entry's own ranges:
// never a missed entry for the price of reading a few more local files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type entry struct {
	ID       string   `json:"id"`
	Modified string   `json:"modified"`
	Aliases  []string `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

type vulnRef struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

type module struct {
	Path  string    `json:"path"`
	Vulns []vulnRef `json:"vulns"`
}

func main() {
	src := flag.String("osv", "", "folder of OSV JSON files (GO-*.json)")
	out := flag.String("out", "", "folder to write the database to")
	flag.Parse()
	if *src == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: vulndb -osv DIR -out DIR")
		os.Exit(2)
	}
	if err := build(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func build(src, out string) error {
	files, err := filepath.Glob(filepath.Join(src, "GO-*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no GO-*.json entries in %s", src)
	}
	for _, d := range []string{"ID", "index"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	mods := map[string][]vulnRef{}
	var vulns []map[string]any
	newest := "0001-01-01T00:00:00Z"
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || !strings.HasPrefix(filepath.Base(f), e.ID) {
			return fmt.Errorf("%s: id %q does not match the file name", f, e.ID)
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), b, 0o644); err != nil {
			return err
		}
		newest = max(newest, e.Modified)
		vulns = append(vulns, map[string]any{"id": e.ID, "modified": e.Modified, "aliases": e.Aliases})
		for _, a := range e.Affected {
			p := a.Package.Name
			if p != "" && !slices.ContainsFunc(mods[p], func(v vulnRef) bool { return v.ID == e.ID }) {
				mods[p] = append(mods[p], vulnRef{ID: e.ID, Modified: e.Modified})
			}
		}
	}
	var index []module
	for p, vs := range mods {
		index = append(index, module{Path: p, Vulns: vs})
	}
	slices.SortFunc(index, func(a, b module) int { return strings.Compare(a.Path, b.Path) })
	for name, v := range map[string]any{"db.json": map[string]string{"modified": newest}, "modules.json": index, "vulns.json": vulns} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
