package quiz

import "html/template"

// Type is the kind of a question, as written in a quiz block's `type` field.
type Type string

// The question types a `quiz` block may have (docs/content.md).
const (
	Single    Type = "single"
	Multi     Type = "multi"
	TrueFalse Type = "truefalse"
	Order     Type = "order"
	Match     Type = "match"
	Text      Type = "text"
	Open      Type = "open"
)

// Types lists every question type, in the order of the constants above.
func Types() []Type { return []Type{Single, Multi, TrueFalse, Order, Match, Text, Open} }

// Valid reports whether t is one of the known question types.
func (t Type) Valid() bool {
	switch t {
	case Single, Multi, TrueFalse, Order, Match, Text, Open:
		return true
	}
	return false
}

// Task says what a question of type t asks the learner to do, as the
// quiz form's heading says it.
func (t Type) Task() string {
	switch t {
	case Single:
		return "Choose one"
	case Multi:
		return "Choose every right answer"
	case TrueFalse:
		return "True or false?"
	case Order:
		return "Put in order"
	case Match:
		return "Match each item"
	case Text:
		return "Type the answer"
	}
	return "Explain, then check yourself"
}

// Question is one parsed, validated quiz block. Text fields hold Markdown
// source; the *HTML fields hold it rendered safely (no raw HTML passes).
// A Question carries the answer: never send it to a browser as is; use
// Public for that, and Reveal once the learner has answered.
//
// Questions come from ParseBlock, which fills the keys and the rendered
// fields; a Question built by hand without them cannot be graded.
type Question struct {
	ID        string
	Type      Type
	Level     int
	Topics    []string
	Prompt    string
	Choices   []Choice // single, multi
	Statement string   // truefalse
	Answer    bool     // truefalse
	Why       string   // truefalse: why the answer is what it is
	Items     []string // order, in the correct order
	// AnyOrder: order, runs of consecutive items (0-based indexes into
	// Items) whose order among themselves does not matter, from the
	// block's `any_order` (1-based item numbers). Empty: one right order.
	AnyOrder  [][]int
	Pairs     []Pair   // match
	Accept    []string // text
	Reject    []Reject // text
	Model     string   // open: a model answer
	Rubric    []string // open: key points
	Hint      string
	Explain   string
	Interview bool // in the interview bank (default true)
	FollowUps []string

	// Rendered Markdown of the text fields above. ItemKeys, ItemsHTML
	// and RubricHTML run parallel to Items and Rubric.
	PromptHTML    template.HTML
	StatementHTML template.HTML
	WhyHTML       template.HTML
	ItemKeys      []string
	ItemsHTML     []template.HTML
	ModelHTML     template.HTML
	RubricHTML    []template.HTML
	HintHTML      template.HTML
	ExplainHTML   template.HTML

	// Where the block stands, for error messages and links back.
	File string
	Line int
}

// Choice is one option of a single or multi question.
type Choice struct {
	Text    string
	Correct bool
	Why     string

	Key     string // form value: a hash of the question id and Text
	HTML    template.HTML
	WhyHTML template.HTML
}

// Pair is one left/right pair of a match question. Two lefts may share a
// right (sorting things into categories); the right is then offered once.
type Pair struct {
	Left  string
	Right string

	LeftKey   string
	RightKey  string // equal texts share a key
	LeftHTML  template.HTML
	RightHTML template.HTML
}

// Reject is a known wrong answer to a text question, with feedback.
type Reject struct {
	Text string
	Why  string

	WhyHTML template.HTML
}
