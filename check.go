package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"

	"github.com/authlab/authlab/sandbox"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
)

// check validates the course and prints every problem as file:line: message.
func check(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("authlab check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("content", getenv("AUTHLAB_CONTENT"), "course directory to check (default: the embedded course) ($AUTHLAB_CONTENT)")
	if err := fs.Parse(args); err != nil {
		return quietUsage(err)
	}
	fsys := contentFS(*dir, content.FS)
	var problems []lessons.Problem
	cat, err := lessons.Load(fsys)
	if list, ok := errors.AsType[*lessons.Problems](err); ok {
		problems = *list
	} else if err != nil {
		return err
	} else {
		problems = append(cat.CheckSteps(labChecks), cat.CheckGoals(labGoal)...)
		problems = append(problems, checkTopics(fsys, cat)...)
	}
	where := "embedded course"
	if *dir != "" {
		where = *dir
	}
	if len(problems) == 0 {
		fmt.Fprintf(stdout, "%s: ok\n", where)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p.Error())
	}
	fmt.Fprintf(stderr, "%s: %d problem(s)\n", where, len(problems))
	return errFailed
}

// labGoal is the goal milestone id of a lab panel, for lessons.CheckGoals.
func labGoal(panel string) string { return sandbox.Goal(panel).ID }

// labChecks is the milestone ids of a lab panel, for lessons.CheckSteps.
func labChecks(panel string) []string {
	var ids []string
	for _, m := range sandbox.Milestones(panel) {
		ids = append(ids, m.ID)
	}
	return ids
}

// checkTopics holds the course to its topic vocabulary (topics.yaml):
// every question's and interview page's topics are listed there, so
// interview mode never offers two filters for one idea.
func checkTopics(fsys fs.FS, cat *lessons.Catalog) []lessons.Problem {
	return interview.CheckTopics(fsys, cat)
}
