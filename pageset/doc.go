// Package pageset turns html/template files into per-page template sets
// and cuts composed pages into frames. It knows nothing of HTTP; web
// builds its renderer on it.
//
// Parse gives every page (templates/[a-z]*.html) its own set: the page,
// the layout (templates/_layout.html) and only the shared files
// (templates/_*.html) it uses, followed transitively through
// {{template}} calls. A Loader holds the pages, their frame sets and the
// static files (package asset) as one Set, and in dev mode reads them
// again when a file changes.
//
// A composed page is a personal page put together from parts made once.
// Whatever differs from one viewer to the next is in templates named
// "personal:…" (in authlab: the layout's account links and notes, a
// lesson's sidebar states, quizzes, lab progress and completion section);
// everything outside them is the same for every viewer of a page in one
// version of the templates and data. For a composed page the caller
// keeps a second copy of the page's templates, its frame set (FrameSet),
// in which every personal template is redefined to print a marker naming
// itself (and the key it was called with, see NewPart). The frame set is
// executed once per page and version with data that holds nothing
// personal; the output, cut at the markers (Cut), is the page's Frame:
// static bytes between slots. A request then writes the static bytes
// and, in each slot, executes only that personal template with the
// viewer's data, from the ordinary template set (Composition.Write). The
// result is the very page the full render of the same data produces
// (web's TestComposedPageIsTheFullRender), with a template walk over a
// few small parts instead of the whole page.
//
// A caller may also name the state of a personal part (its key, from
// Composition.PartKey: every value the part's template shows); the part
// is then rendered by its template once per key and version and its
// bytes reused, so a request executes only the parts whose state is new
// or too rare to keep. Cache.Verify (tests) renders every reused part
// again and fails on a difference, which catches a key that leaves
// something out.
//
// A personal template is called in HTML text context, so it escapes the
// same whether it runs inside the page or on its own; one that needs
// more than the page (a quiz, by ID) is called with part $ key.
package pageset
