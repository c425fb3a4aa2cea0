package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// quizClient is a browser without JavaScript (or, with asJSON, the
// fetch path of quiz.js): it keeps its cookies between requests.
type quizClient struct {
	env     *testEnv
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func newQuizClient(env *testEnv) *quizClient {
	return &quizClient{env: env, cookies: map[string]*http.Cookie{}}
}

func (qc *quizClient) do(t testing.TB, method, path string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	qc.mu.Lock()
	for _, c := range qc.cookies {
		req.AddCookie(c)
	}
	qc.mu.Unlock()
	rec := httptest.NewRecorder()
	qc.env.srv.ServeHTTP(rec, req)
	qc.mu.Lock()
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(qc.cookies, c.Name)
		} else {
			qc.cookies[c.Name] = c
		}
	}
	qc.mu.Unlock()
	return rec
}

// answerJSON posts an answer the way quiz.js does and decodes the reply.
func (qc *quizClient) answerJSON(t testing.TB, l *lessons.Lesson, q *quiz.Question, form url.Values) quizReply {
	t.Helper()
	rec := qc.do(t, "POST", quizPath(l, q), form, "Accept", "application/json")
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", q.ID, rec.Code, rec.Body)
	}
	var r quizReply
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("%s: %v: %s", q.ID, err, rec.Body)
	}
	return r
}

type quizReply struct {
	Correct  bool    `json:"correct"`
	Score    float64 `json:"score"`
	Verdict  string  `json:"verdict"`
	Feedback []struct {
		Key     string `json:"key"`
		Correct bool   `json:"correct"`
		Why     string `json:"why"`
	} `json:"feedback"`
	Explanation string `json:"explanation"`
	Best        *struct {
		Score    float64 `json:"score"`
		Correct  bool    `json:"correct"`
		Attempts int     `json:"attempts"`
		Text     string  `json:"text"`
	} `json:"best"`
	AttemptID      uint64 `json:"attempt_id"`
	LessonComplete bool   `json:"lesson_complete"`
	HTML           string `json:"html"`
	Compare        bool   `json:"compare"`
}

func quizPath(l *lessons.Lesson, q *quiz.Question) string {
	return "/lessons/" + l.Slug + "/quiz/" + q.ID
}

// firstOfType finds the first lesson quiz of each type.
func firstOfType(t testing.TB, cat *lessons.Catalog, typ quiz.Type) (*lessons.Lesson, *quiz.Question) {
	t.Helper()
	for _, l := range cat.Lessons {
		for _, q := range l.Quizzes {
			if q.Type == typ {
				return l, q
			}
		}
	}
	t.Fatalf("no %s question in the course", typ)
	return nil, nil
}

// rightAnswer is a form with the full-marks answer; positions selects
// order answers the no-JavaScript way.
func rightAnswer(q *quiz.Question, positions bool) url.Values {
	f := url.Values{"key": {rand32()}, "step": {"grade"}}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		for _, c := range q.Choices {
			if c.Correct {
				f.Add("choice", c.Key)
			}
		}
	case quiz.TrueFalse:
		f.Set("choice", strconv.FormatBool(q.Answer))
	case quiz.Order:
		for i, k := range q.ItemKeys {
			if positions {
				f.Set("pos."+k, strconv.Itoa(i+1))
			} else {
				f.Add("order", k)
			}
		}
	case quiz.Match:
		for _, p := range q.Pairs {
			f.Set("match."+p.LeftKey, p.RightKey)
		}
	case quiz.Text:
		f.Set("text", "  "+strings.ToUpper(q.Accept[0])+" ")
	case quiz.Open:
		f.Set("open", "Sessions live on the server; tokens carry their claims.")
		for i := range q.Rubric {
			f.Add("rubric", strconv.Itoa(i))
		}
	}
	return f
}

// worstOrder is the lowest-scoring rotation of the reversed items: with
// any_order groups, a plain reversal can leave some items inside their
// group and earn part marks.
func worstOrder(q *quiz.Question) []string {
	rev := slices.Clone(q.ItemKeys)
	slices.Reverse(rev)
	best, bestScore := rev, 2.0
	for i := range rev {
		o := append(slices.Clone(rev[i:]), rev[:i]...)
		if res, err := quiz.Grade(q, quiz.Answer{Order: o}); err == nil && res.Score < bestScore {
			best, bestScore = o, res.Score
		}
	}
	return best
}

// wrongAnswer is a form that earns less than full marks.
func wrongAnswer(q *quiz.Question) url.Values {
	f := url.Values{"key": {rand32()}, "step": {"grade"}}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		for _, c := range q.Choices {
			if !c.Correct {
				f.Set("choice", c.Key)
				break
			}
		}
	case quiz.TrueFalse:
		f.Set("choice", strconv.FormatBool(!q.Answer))
	case quiz.Order:
		f["order"] = worstOrder(q)
	case quiz.Match:
		for _, p := range q.Pairs {
			f.Set("match."+p.LeftKey, q.Pairs[0].RightKey)
		}
	case quiz.Text:
		f.Set("text", "certainly not this")
	case quiz.Open:
		f.Set("open", "I do not know.")
	}
	return f
}

var keyCounter struct {
	sync.Mutex
	n int
}

// rand32 is a fresh, valid idempotency key.
func rand32() string {
	keyCounter.Lock()
	defer keyCounter.Unlock()
	keyCounter.n++
	return fmt.Sprintf("test-key-%08d", keyCounter.n)
}

var quizSectionRe = regexp.MustCompile(`(?s)<section class="quiz [^"]*" id="quiz-([^"]+)".*?</section>`)

// quizSection returns the HTML of one quiz block of a page.
func quizSection(t testing.TB, body, id string) string {
	t.Helper()
	for _, m := range quizSectionRe.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return m[0]
		}
	}
	t.Fatalf("no quiz block %q in the page", id)
	return ""
}

// answerOnly lists the rendered strings of q that only answer data
// holds: why texts, model answers, rubric points, accepted and rejected
// answers, explanations.
func answerOnly(q *quiz.Question) []string {
	var out []string
	add := func(hs ...template.HTML) {
		for _, h := range hs {
			if h != "" {
				out = append(out, string(h))
			}
		}
	}
	for _, c := range q.Choices {
		add(c.WhyHTML)
	}
	for _, r := range q.Reject {
		add(r.WhyHTML, template.HTML(template.HTMLEscapeString(r.Text)))
	}
	for _, a := range q.Accept {
		add(template.HTML(template.HTMLEscapeString(a)))
	}
	add(q.RubricHTML...)
	add(q.WhyHTML, q.ModelHTML, q.ExplainHTML)
	return out
}

// emptyWordRe is containsWord's regexp for an empty sub.
var emptyWordRe = regexp.MustCompile(`(^|[^\pL\pN])($|[^\pL\pN])`)

// containsWord reports whether s holds sub not run into letters or
// digits ("400" is not in "4000").
func containsWord(s, sub string) bool {
	if sub == "" {
		return emptyWordRe.MatchString(s)
	}
	// What `(^|[^\pL\pN])sub($|[^\pL\pN])` matches, without compiling
	// and running a regexp per call over a whole page (most of
	// TestQuizPagesHideAnswers's time under -race): every occurrence of
	// sub, checked for the runes either side.
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
	for i := 0; i <= len(s)-len(sub); {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		j += i
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		after, _ := utf8.DecodeRuneInString(s[j+len(sub):])
		if (j == 0 || !word(before)) && (j+len(sub) == len(s) || !word(after)) {
			return true
		}
		i = j + 1
	}
	return false
}

// TestContainsWord: containsWord agrees with its regexp.
func TestContainsWord(t *testing.T) {
	parts := []string{"a", "é", "1", "٣", " ", "-", "<b>", "ab", "a b", "Ⅻ", "", "\xff"} // the last only in s: the regexp takes no invalid UTF-8
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(n, of int) string {
		var b strings.Builder
		for range r.IntN(n) {
			b.WriteString(parts[r.IntN(of)])
		}
		return b.String()
	}
	res := map[string]*regexp.Regexp{}
	for range 20000 {
		s, sub := pick(8, len(parts)), pick(3, len(parts)-1)
		re := res[sub]
		if re == nil {
			re = regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(sub) + `($|[^\pL\pN])`)
			res[sub] = re
		}
		if got, want := containsWord(s, sub), re.MatchString(s); got != want {
			t.Fatalf("containsWord(%q, %q) = %v, the regexp says %v", s, sub, got, want)
		}
	}
}

// publicText is everything of q a page may show before an answer.
func publicText(q *quiz.Question) string {
	p := q.Public(0)
	var b strings.Builder
	b.WriteString(string(p.Prompt) + string(p.Statement) + string(p.Hint))
	for _, o := range slices.Concat(p.Options, p.Lefts, p.Rights) {
		b.WriteString(string(o.HTML) + "\n" + lessons.PlainText(o.HTML) + "\n")
	}
	return b.String()
}

// TestQuizPagesHideAnswers greps every lesson page, for a new visitor
// and for a learner, for answer data; and checks the grep finds it
// once the learner asks for the answer.
func TestQuizPagesHideAnswers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	learner := newQuizClient(env)
	l0, q0 := env.catalog.Lessons[0], env.catalog.Lessons[0].Quizzes[0]
	learner.answerJSON(t, l0, q0, wrongAnswer(q0))
	checked := 0
	for _, l := range env.catalog.Lessons {
		for who, qc := range map[string]*quizClient{"visitor": newQuizClient(env), "learner": learner} {
			path := "/lessons/" + l.Slug
			if l == l0 {
				path += "?answered=other-quiz" // an id it did not answer shows nothing
			}
			rec := qc.do(t, "GET", path, nil)
			if rec.Code != 200 {
				t.Fatalf("%s: %d", l.Slug, rec.Code)
			}
			body := rec.Body.String()
			prose := quizSectionRe.ReplaceAllString(body, "")
			sections := quizSectionRe.FindAllString(body, -1)
			if len(sections) != len(l.Quizzes) {
				t.Errorf("%s: %d quiz blocks, want %d", l.Slug, len(sections), len(l.Quizzes))
			}
			for _, sec := range sections {
				for _, marker := range []string{"data-correct", "is-right", "is-wrong", "quiz-answer", "quiz-result", "quiz-model"} {
					if strings.Contains(sec, marker) {
						t.Errorf("%s (%s): a fresh quiz block contains %q", l.Slug, who, marker)
					}
				}
			}
			for _, q := range l.Quizzes {
				pub := publicText(q)
				for _, secret := range answerOnly(q) {
					if containsWord(pub, secret) || containsWord(prose, secret) {
						continue // not unique to the answer
					}
					checked++
					if containsWord(body, secret) {
						t.Errorf("%s (%s): question %s leaks answer data %q", l.Slug, who, q.ID, secret)
					}
				}
				if q.Type == quiz.Order {
					sec := quizSection(t, body, q.ID)
					var keys []string
					for _, m := range regexp.MustCompile(`data-key="([^"]+)"`).FindAllStringSubmatch(sec, -1) {
						keys = append(keys, m[1])
					}
					if slices.Equal(keys, q.ItemKeys) {
						t.Errorf("%s: order question %s shows its items in the right order", l.Slug, q.ID)
					}
				}
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d answer strings were unique enough to check", checked)
	}
	// The same grep finds the answer once it may be shown.
	body := learner.do(t, "GET", "/lessons/"+l0.Slug+"?answered="+q0.ID+"&show=answer", nil).Body.String()
	sec := quizSection(t, body, q0.ID)
	found := 0
	for _, secret := range answerOnly(q0) {
		if strings.Contains(sec, secret) {
			found++
		}
	}
	if found == 0 || !strings.Contains(sec, "quiz-answer") {
		t.Errorf("show answer: none of %d answer strings of %s in the block", len(answerOnly(q0)), q0.ID)
	}
}

// TestQuizEveryType answers each question type right and wrong, as a
// plain form (303, then the lesson shows the result) and by fetch (JSON).
func TestQuizEveryType(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, typ := range quiz.Types() {
		t.Run(string(typ), func(t *testing.T) {
			t.Parallel()
			l, q := firstOfType(t, env.catalog, typ)
			t.Run("form", func(t *testing.T) {
				qc := newQuizClient(env)
				if typ == quiz.Open {
					f := url.Values{"open": {"My answer."}, "step": {"compare"}}
					rec := qc.do(t, "POST", quizPath(l, q), f)
					if rec.Code != 200 || !strings.Contains(rec.Body.String(), string(q.RubricHTML[0])) ||
						!strings.Contains(rec.Body.String(), "My answer.") || !strings.Contains(rec.Body.String(), `value="grade"`) {
						t.Fatalf("compare step: %d, want the lesson with the model, the rubric and the text kept", rec.Code)
					}
					if len(qc.cookies) != 0 {
						t.Error("the compare step created a session; it stores nothing")
					}
				}
				for _, tc := range []struct {
					form  url.Values
					class string
				}{{rightAnswer(q, true), "quiz-result-correct"}, {wrongAnswer(q), "quiz-result-"}} {
					rec := qc.do(t, "POST", quizPath(l, q), tc.form)
					want := "/lessons/" + l.Slug + "?answered=" + q.ID + "#quiz-" + q.ID
					if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
						t.Fatalf("status %d Location %q, want 303 %q: %s", rec.Code, rec.Header().Get("Location"), want, rec.Body)
					}
					page := qc.do(t, "GET", strings.Split(want, "#")[0], nil)
					sec := quizSection(t, page.Body.String(), q.ID)
					if !strings.Contains(sec, tc.class) || !strings.Contains(sec, "Your best: 100%, correct") {
						t.Errorf("the lesson does not show the result %q and the best score:\n%s", tc.class, sec)
					}
				}
			})
			t.Run("fetch", func(t *testing.T) {
				qc := newQuizClient(env)
				if typ == quiz.Open {
					r := qc.answerJSON(t, l, q, url.Values{"open": {"My answer."}})
					if !r.Compare || !strings.Contains(r.HTML, string(q.RubricHTML[0])) || !strings.Contains(r.HTML, `name="rubric"`) {
						t.Fatalf("compare step: %+v", r)
					}
				}
				r := qc.answerJSON(t, l, q, rightAnswer(q, false))
				if !r.Correct || r.Score != 1 || r.AttemptID == 0 || r.Best == nil || r.Best.Attempts != 1 || !strings.Contains(r.HTML, "quiz-result-correct") {
					t.Errorf("right answer: %+v", r)
				}
				w := qc.answerJSON(t, l, q, wrongAnswer(q))
				if w.Correct || w.Score == 1 || w.AttemptID == r.AttemptID || w.Best.Attempts != 2 || !w.Best.Correct {
					t.Errorf("wrong answer: %+v", w)
				}
				for _, f := range w.Feedback {
					if i := slices.IndexFunc(q.Choices, func(c quiz.Choice) bool { return c.Key == f.Key }); i < 0 || f.Correct != q.Choices[i].Correct {
						t.Errorf("feedback %+v does not match the choice", f)
					}
				}
				if typ == quiz.Single && len(w.Feedback) != 1 {
					t.Errorf("feedback on %d choices, want the chosen one only", len(w.Feedback))
				}
			})
		})
	}
}

func TestQuizIdempotentKey(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l, q := firstOfType(t, env.catalog, quiz.Multi)
	qc := newQuizClient(env)
	qc.answerJSON(t, l, q, wrongAnswer(q)) // creates the guest
	learner := qc.learner(t)

	form := rightAnswer(q, false)
	var wg sync.WaitGroup
	ids := make([]uint64, 8)
	for i := range ids {
		wg.Go(func() { ids[i] = qc.answerJSON(t, l, q, form).AttemptID })
	}
	wg.Wait()
	// A plain form posted twice (a double click) with the same key.
	for range 2 {
		if rec := qc.do(t, "POST", quizPath(l, q), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("form: %d", rec.Code)
		}
	}
	// The same key with another answer is the page sent again after
	// Back (without JavaScript the key is in the page): a new attempt,
	// graded on its own, and itself idempotent.
	again := wrongAnswer(q)
	again.Set("key", form.Get("key"))
	r1, r2 := qc.answerJSON(t, l, q, again), qc.answerJSON(t, l, q, again)
	if r1.Correct || r1.AttemptID == ids[0] || r2.AttemptID != r1.AttemptID {
		t.Errorf("another answer under a used key got %+v then %+v; want a new wrong attempt, recorded once", r1, r2)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("attempt ids %v, want one", ids)
		}
	}
	atts, err := env.store.Attempts(context.Background(), learner, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 3 {
		t.Errorf("%d attempts stored, want 3 (wrong, right, wrong after Back)", len(atts))
	}
	// The same key on another question is refused.
	other := l.Quizzes[slices.IndexFunc(l.Quizzes, func(o *quiz.Question) bool { return o != q })]
	f := rightAnswer(other, false)
	f.Set("key", form.Get("key"))
	if rec := qc.do(t, "POST", quizPath(l, other), f, "Accept", "application/json"); rec.Code != http.StatusConflict {
		t.Errorf("key reused on another question: %d, want 409", rec.Code)
	}
}

// An answer whose request is cancelled before it is stored is not
// acknowledged (499, the client closed the request) and not stored; the
// same answer sent again is stored once.
func TestQuizAnswerCancelled(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	qc := newQuizClient(env)
	qc.answerJSON(t, l, q, wrongAnswer(q)) // creates the guest
	learner := qc.learner(t)
	form := rightAnswer(q, false)
	form.Set("key", rand32())
	req := httptest.NewRequest("POST", quizPath(l, q), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	for _, c := range qc.cookies {
		req.AddCookie(c)
	}
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code == http.StatusOK {
		t.Fatalf("a cancelled answer was acknowledged: %s", rec.Body)
	}
	if atts, err := env.store.Attempts(context.Background(), learner, 0); err != nil || len(atts) != 1 {
		t.Fatalf("%d attempts after the cancelled answer, want 1: %v", len(atts), err)
	}
	if r := qc.answerJSON(t, l, q, form); !r.Correct || r.Best == nil || r.Best.Attempts != 2 {
		t.Errorf("the answer sent again: %+v", r)
	}
}

// learner is the learner id behind the client's session.
func (qc *quizClient) learner(t testing.TB) string {
	t.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	for _, c := range qc.cookies {
		req.AddCookie(c)
	}
	sess, err := qc.env.srv.sessions.Get(req, qc.env.srv.sessions.name)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := sess.Values[valLearner].(string)
	if id == "" {
		t.Fatal("the client has no learner")
	}
	return id
}

func TestQuizForgedSubmissions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ls, qs := firstOfType(t, env.catalog, quiz.Single)
	lm, qm := firstOfType(t, env.catalog, quiz.Multi)
	lt, qt := firstOfType(t, env.catalog, quiz.TrueFalse)
	lo, qo := firstOfType(t, env.catalog, quiz.Order)
	lma, qma := firstOfType(t, env.catalog, quiz.Match)
	ltx, qtx := firstOfType(t, env.catalog, quiz.Text)
	lop, qop := firstOfType(t, env.catalog, quiz.Open)
	otherLesson := env.catalog.Lessons[len(env.catalog.Lessons)-1]
	if otherLesson == ls {
		otherLesson = env.catalog.Lessons[0]
	}
	with := func(f url.Values, kv ...string) url.Values {
		f = cloneValues(f)
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				f.Del(kv[i])
			} else {
				f.Add(kv[i], kv[i+1])
			}
		}
		return f
	}
	positions := rightAnswer(qo, true)
	dup := url.Values{"key": {rand32()}}
	for _, k := range qo.ItemKeys {
		dup.Set("pos."+k, "1")
	}
	tests := []struct {
		name   string
		path   string
		body   string
		ctype  string
		status int
		reason string
	}{
		{"unknown lesson", "/lessons/nope/quiz/" + qs.ID, rightAnswer(qs, false).Encode(), "", 404, "no lesson"},
		{"unknown quiz", "/lessons/" + ls.Slug + "/quiz/nope", rightAnswer(qs, false).Encode(), "", 404, "no quiz"},
		{"quiz of another lesson", "/lessons/" + otherLesson.Slug + "/quiz/" + qs.ID, rightAnswer(qs, false).Encode(), "", 404, "no quiz"},
		{"impossible choice", quizPath(ls, qs), url.Values{"choice": {"ffffffffff"}}.Encode(), "", 400, "unknown choice"},
		{"choice index", quizPath(ls, qs), url.Values{"choice": {"0"}}.Encode(), "", 400, "unknown choice"},
		{"two choices on a single", quizPath(ls, qs), url.Values{"choice": {qs.Choices[0].Key, qs.Choices[1].Key}}.Encode(), "", 400, "one choice"},
		{"no answer", quizPath(ls, qs), url.Values{"key": {rand32()}}.Encode(), "", 400, "No answer"},
		{"multi twice the same", quizPath(lm, qm), url.Values{"choice": {qm.Choices[0].Key, qm.Choices[0].Key}}.Encode(), "", 400, "twice"},
		{"true/false maybe", quizPath(lt, qt), url.Values{"choice": {"maybe"}}.Encode(), "", 400, "true or false"},
		{"true/false twice", quizPath(lt, qt), url.Values{"choice": {"true", "false"}}.Encode(), "", 400, "2 times"},
		{"order duplicate positions", quizPath(lo, qo), dup.Encode(), "", 400, "own position"},
		{"order position out of range", quizPath(lo, qo), with(positions, "pos."+qo.ItemKeys[0], "", "pos."+qo.ItemKeys[0], "99").Encode(), "", 400, "from 1 to"},
		{"order unknown item", quizPath(lo, qo), url.Values{"order": append(slices.Clone(qo.ItemKeys[1:]), "zzz")}.Encode(), "", 400, "unknown item"},
		{"order missing item", quizPath(lo, qo), url.Values{"order": qo.ItemKeys[1:]}.Encode(), "", 400, "lists all"},
		{"match unknown right", quizPath(lma, qma), with(rightAnswer(qma, false), "match."+qma.Pairs[0].LeftKey, "", "match."+qma.Pairs[0].LeftKey, "zzz").Encode(), "", 400, "unknown right"},
		{"match missing left", quizPath(lma, qma), with(rightAnswer(qma, false), "match."+qma.Pairs[0].LeftKey, "").Encode(), "", 400, "pairs all"},
		{"text too long", quizPath(ltx, qtx), url.Values{"text": {strings.Repeat("a", quiz.MaxTextAnswer+1)}}.Encode(), "", 400, "longer than"},
		{"rubric out of range", quizPath(lop, qop), url.Values{"open": {"x"}, "step": {"grade"}, "rubric": {"99"}}.Encode(), "", 400, "out of range"},
		{"rubric not a number", quizPath(lop, qop), url.Values{"open": {"x"}, "step": {"grade"}, "rubric": {"first"}}.Encode(), "", 400, "not a number"},
		{"open without text", quizPath(lop, qop), url.Values{"step": {"grade"}}.Encode(), "", 400, "write your answer"},
		{"open too long", quizPath(lop, qop), url.Values{"open": {strings.Repeat("я", quiz.MaxOpenAnswer+1)}, "step": {"grade"}}.Encode(), "", 400, "at most 4000 characters"},
		{"malformed key", quizPath(ls, qs), with(rightAnswer(qs, false), "key", "", "key", "<script>").Encode(), "", 400, "submission key"},
		{"two keys", quizPath(ls, qs), with(rightAnswer(qs, false), "key", "abcdefgh1").Encode(), "", 400, "submission key"},
		{"oversized body", quizPath(ls, qs), with(rightAnswer(qs, false), "pad", strings.Repeat("x", maxQuizBody)).Encode(), "", 413, "larger than"},
		{"JSON body", quizPath(ls, qs), `{"choice":"x"}`, "application/json", 415, "as a form"},
		{"multipart body", quizPath(ls, qs), "--b\r\n\r\n--b--", "multipart/form-data; boundary=b", 415, "as a form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, accept := range []string{"application/json", "text/html"} {
				req := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
				req.Header.Set("Content-Type", cmp.Or(tt.ctype, "application/x-www-form-urlencoded"))
				req.Header.Set("Accept", accept)
				rec := httptest.NewRecorder()
				env.srv.ServeHTTP(rec, req)
				if rec.Code != tt.status {
					t.Fatalf("%s: status %d, want %d: %s", accept, rec.Code, tt.status, rec.Body)
				}
				if !strings.Contains(rec.Body.String(), tt.reason) {
					t.Errorf("%s: the reply does not give the reason %q: %s", accept, tt.reason, rec.Body)
				}
				if accept == "application/json" && !strings.Contains(rec.Body.String(), `"message"`) {
					t.Errorf("JSON error without a message: %s", rec.Body)
				}
				if len(rec.Result().Cookies()) > 0 {
					t.Error("a refused answer created a session")
				}
			}
		})
	}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func TestQuizShowAnswer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	other := l.Quizzes[slices.IndexFunc(l.Quizzes, func(o *quiz.Question) bool { return o != q })]
	qc := newQuizClient(env)
	answerURL := quizPath(l, q) + "/answer"
	if rec := qc.do(t, "GET", answerURL, nil, "Accept", "application/json"); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Answer this question first") {
		t.Errorf("a visitor: %d %s, want 403 with a reason", rec.Code, rec.Body)
	}
	qc.answerJSON(t, l, other, wrongAnswer(other))
	if rec := qc.do(t, "GET", answerURL, nil, "Accept", "application/json"); rec.Code != http.StatusForbidden {
		t.Errorf("a learner who answered another quiz: %d, want 403", rec.Code)
	}
	page := qc.do(t, "GET", "/lessons/"+l.Slug+"?answered="+q.ID+"&show=answer", nil).Body.String()
	if strings.Contains(quizSection(t, page, q.ID), "quiz-answer") {
		t.Error("?show=answer revealed an unanswered quiz")
	}
	qc.answerJSON(t, l, q, wrongAnswer(q))
	rec := qc.do(t, "GET", answerURL, nil, "Accept", "application/json")
	var got struct {
		Solution quiz.Solution `json:"solution"`
		HTML     string        `json:"html"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
		t.Fatalf("after an attempt: %d %s", rec.Code, rec.Body)
	}
	want := q.Reveal()
	if !slices.Equal(got.Solution.Choices, want.Choices) || !strings.Contains(got.HTML, "is-right") {
		t.Errorf("solution %+v, want the correct choices %v", got.Solution, want.Choices)
	}
	for _, c := range q.Choices {
		if c.WhyHTML != "" && !strings.Contains(got.HTML, string(c.WhyHTML)) {
			t.Errorf("the answer does not explain choice %q", c.Text)
		}
	}
	page = qc.do(t, "GET", "/lessons/"+l.Slug+"?answered="+q.ID+"&show=answer", nil).Body.String()
	if !strings.Contains(quizSection(t, page, q.ID), "quiz-answer") {
		t.Error("no answer shown without JavaScript after an attempt")
	}
}

func TestQuizCompletesLesson(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	l := env.catalog.Lessons[2]
	qc := newQuizClient(env)
	for i, q := range l.Quizzes {
		r := qc.answerJSON(t, l, q, wrongAnswer(q))
		if r.LessonComplete {
			t.Fatalf("complete after a wrong answer to %s", q.ID)
		}
		r = qc.answerJSON(t, l, q, rightAnswer(q, false))
		last := i == len(l.Quizzes)-1
		if r.LessonComplete != last {
			t.Fatalf("after %d of %d quizzes right: lesson_complete %v", i+1, len(l.Quizzes), r.LessonComplete)
		}
		lp, err := env.store.Lessons(ctx, qc.learner(t))
		if err != nil {
			t.Fatal(err)
		}
		if done := lp[l.Slug].CompletedAt != nil; done != last {
			t.Fatalf("after %d of %d quizzes right: stored completion %v", i+1, len(l.Quizzes), done)
		}
	}
	q := l.Quizzes[0]
	if r := qc.answerJSON(t, l, q, wrongAnswer(q)); !r.LessonComplete {
		t.Error("a later wrong answer undid the completion")
	}
	page := qc.do(t, "GET", "/lessons/"+l.Slug+"?answered="+q.ID, nil).Body.String()
	if !strings.Contains(quizSection(t, page, q.ID), "the lesson is complete") {
		t.Error("the lesson page does not say the lesson is complete")
	}

	// Marked complete by hand: reported as complete too.
	other := env.catalog.Lessons[3]
	qc.answerJSON(t, other, other.Quizzes[0], wrongAnswer(other.Quizzes[0]))
	if err := env.store.Complete(ctx, qc.learner(t), other.Slug, true); err != nil {
		t.Fatal(err)
	}
	if r := qc.answerJSON(t, other, other.Quizzes[1], wrongAnswer(other.Quizzes[1])); !r.LessonComplete {
		t.Error("a lesson marked complete is not reported complete")
	}
}

func TestQuizSchedulesReview(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	l, q := firstOfType(t, env.catalog, quiz.Order)
	qc := newQuizClient(env)
	qc.answerJSON(t, l, q, rightAnswer(q, false))
	learner := qc.learner(t)
	c, err := env.store.Card(ctx, learner, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reps != 1 || c.Interval != 1 || !c.Due.After(c.LastReview) {
		t.Errorf("after a right answer: %+v, want one repetition due in a day", c)
	}
	qc.answerJSON(t, l, q, wrongAnswer(q))
	if c, err = env.store.Card(ctx, learner, q.ID); err != nil || c.Reps != 0 || c.Lapses != 1 {
		t.Errorf("after a wrong answer: %+v %v, want the repetitions restarted and a lapse", c, err)
	}
}

func TestQuizPlainViewCreatesNothing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	for _, path := range []string{"/lessons/" + l.Slug, "/lessons/" + l.Slug + "?answered=" + q.ID + "&show=answer", "/review"} {
		rec := env.do(t, "GET", path, nil)
		if rec.Code != 200 || len(rec.Result().Cookies()) != 0 {
			t.Errorf("GET %s: %d with cookies %v, want 200 and none", path, rec.Code, rec.Result().Cookies())
		}
	}
}

func TestReviewPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if body := env.do(t, "GET", "/review", nil).Body.String(); !strings.Contains(body, "not answered any quiz") ||
		!strings.Contains(body, `href="/lessons/`+env.catalog.Lessons[0].Slug+`"`) {
		t.Error("no empty state for a new visitor")
	}
	qc := newQuizClient(env)
	lr, right := firstOfType(t, env.catalog, quiz.Single)
	lw, wrong := firstOfType(t, env.catalog, quiz.Match)
	qc.answerJSON(t, lr, right, rightAnswer(right, false))
	qc.answerJSON(t, lw, wrong, wrongAnswer(wrong))
	qc.answerJSON(t, lw, wrong, wrongAnswer(wrong))
	rec := qc.do(t, "GET", "/review", nil)
	body := rec.Body.String()
	linkW := `href="/lessons/` + lw.Slug + `#quiz-` + wrong.ID + `"`
	linkR := `href="/lessons/` + lr.Slug + `#quiz-` + right.ID + `"`
	iw, ir := strings.Index(body, linkW), strings.Index(body, linkR)
	if rec.Code != 200 || iw < 0 || ir < 0 || iw > ir {
		t.Errorf("review: %d, wrong answer at %d, right at %d; want both, the wrong one first", rec.Code, iw, ir)
	}
	if !strings.Contains(body, "2 attempts") || !strings.Contains(body, "Best 100%") {
		t.Error("review does not show attempts and best scores")
	}
	assertSecurityHeaders(t, rec.Result())
}

// BenchmarkQuizAnswer posts graded answers (the fetch path, JSON) through
// the real handler and SQLite in a temporary directory, from 256 learners
// at once (a goroutine each), each with a session. The baseline sub-benchmark runs the same
// middleware, decoding, grading and JSON reply without storing anything;
// the ratio is what persisting costs (the attempt, the review card, best
// results and lesson completion). persisted-1 is one learner answering
// one answer at a time (no concurrency): grouping answers must not make a
// lone answer slower. Afterwards every answer must be in the database.
func BenchmarkQuizAnswer(b *testing.B) {
	for _, bc := range []struct {
		name     string
		persist  bool
		learners int
	}{
		{"baseline", false, 256}, // a large workshop room
		{"persisted", true, 256},
		{"persisted-1", true, 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env := newTestEnv(b)
			if !bc.persist {
				quizzes := &quizHandlers{kernel: env.srv.kernel, store: env.srv.store}
				env.srv.engine.POST("/bench/lessons/:slug/quiz/:id", func(c *gin.Context) {
					sub, ok := quizzes.readQuizSubmission(c)
					if !ok {
						return
					}
					rv := newResultView(sub.lesson, sub.q, sub.answer, sub.result)
					rv.Best = newBestView(progress.Best{Score: sub.result.Score, Attempts: 1})
					quizzes.quizReply(c, rv)
				})
			}
			l := env.catalog.Lessons[1]
			type job struct {
				path string
				form url.Values
			}
			var jobs []job
			for _, q := range l.Quizzes {
				path := quizPath(l, q)
				if !bc.persist {
					path = "/bench" + path
				}
				jobs = append(jobs, job{path, rightAnswer(q, false)}, job{path, wrongAnswer(q)})
			}
			learners := bc.learners
			clients := make([]*quizClient, learners)
			for i := range clients {
				// Each learner answers once first, so both runs look up a
				// session on every request.
				clients[i] = newQuizClient(env)
				clients[i].answerJSON(b, l, l.Quizzes[0], wrongAnswer(l.Quizzes[0]))
			}
			// answer sends the n-th answer: each learner works through the
			// lesson, right, then wrong, quiz by quiz.
			answer := func(n int) bool {
				qc, j := clients[n%learners], jobs[(n/learners)%len(jobs)]
				form := cloneValues(j.form)
				form.Set("key", fmt.Sprintf("bench-%08d", n))
				rec := qc.do(b, "POST", j.path, form, "Accept", "application/json")
				if rec.Code != http.StatusOK {
					b.Errorf("status %d: %s", rec.Code, rec.Body)
					return false
				}
				return true
			}
			var next struct {
				sync.Mutex
				n int
			}
			b.ReportAllocs()
			b.ResetTimer()
			if learners == 1 {
				for n := 0; n < b.N && answer(n); n++ {
				}
			} else {
				// One goroutine per learner, so 256 answers can be in
				// flight at once, as from a room: RunParallel's default is
				// one per core, which would let only two arrive together.
				b.SetParallelism(max(1, learners/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						next.Lock()
						n := next.n
						next.n++
						next.Unlock()
						if !answer(n) {
							return
						}
					}
				})
			}
			b.StopTimer()
			if b.Failed() {
				return
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
			if !bc.persist {
				return
			}
			if st := env.store.AnswerStats(); st.Groups > 0 {
				b.ReportMetric(float64(st.Items)/float64(st.Groups), "answers/commit")
				b.ReportMetric(float64(st.Busy)/float64(st.Items), "writer-ns/answer")
			}
			stored := 0
			for _, qc := range clients {
				atts, err := env.store.Attempts(context.Background(), qc.learner(b), 0)
				if err != nil {
					b.Fatal(err)
				}
				stored += len(atts) - 1 // less the one that created the learner
			}
			if stored != b.N {
				b.Fatalf("%d answers stored, want %d: answers were lost", stored, b.N)
			}
		})
	}
}

// The longest answer a browser lets a learner type is accepted: 4000
// characters counted as the textarea's maxlength counts them, here CJK
// (3 bytes each, 9 once form-encoded) with line breaks sent as CRLF.
func TestLongestOpenAnswerFits(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	lop, qop := firstOfType(t, env.catalog, quiz.Open)
	line := strings.Repeat("中", 49) + "\r\n" // 50 characters in the textarea
	answer := strings.Repeat(line, quiz.MaxOpenAnswer/50)
	for _, step := range []string{"compare", "grade"} {
		form := url.Values{"open": {answer}, "step": {step}, "rubric": {"0"}, "key": {rand32()}}
		req := httptest.NewRequest("POST", quizPath(lop, qop), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s a %d-byte answer (%d bytes encoded): %d %s", step, len(answer), len(form.Encode()), rec.Code, rec.Body)
		}
	}
}

// The completion shown after a quiz answer is rendered once per lesson and
// reused: each lesson gets its own forms, never another lesson's.
func TestCompletionFragmentPerLesson(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	k := env.srv.kernel
	renders := 0
	for range 2 {
		for _, l := range env.catalog.Lessons[:2] {
			h, err := k.fragmentOf("lesson", "lesson-completion", l.Slug, func() any {
				renders++
				return map[string]any{"Slug": l.Slug, "Completed": true, "Progress": true}
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(h), `action="/lessons/`+l.Slug+`/complete"`) || !strings.Contains(string(h), "You completed this lesson") {
				t.Errorf("%s: %s", l.Slug, h)
			}
		}
	}
	if renders != 2 {
		t.Errorf("rendered %d times for two lessons asked twice each, want 2", renders)
	}
}
