package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/config"
)

// cliEditor is who the history names for changes made on the command line.
const cliEditor = "cli"

func draftCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "draft show | pin N | unpin N | drop N | restore N | approve | hold | release",
		Short: "Look at and change the draft under review (review.mode veto or approve)",
		Long: `The draft is the next issue before it is sent, while editors review it
(review: in config.yaml). "draft show" lists its stories, numbered, with their
scores and why each is in or out, and the history of edits; the numbers are
what pin, unpin, drop and restore take. "approve" lets it go out at its slot
(approve mode), "hold" keeps it from going out, "release" lifts a hold. The
desk at /desk of "digest serve" does the same and more.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the draft: stories with scores and reasons, and the edits",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, err := a.currentDraft(cmd)
			if err != nil {
				return err
			}
			printDraft(cmd.OutOrStdout(), a.cfg, v)
			return nil
		},
	})
	for _, k := range []digest.EditKind{digest.EditPin, digest.EditUnpin, digest.EditDrop, digest.EditRestore} {
		cmd.AddCommand(&cobra.Command{
			Use: string(k) + " N",
			Short: map[digest.EditKind]string{digest.EditPin: "Put story N on top, whatever its score", digest.EditUnpin: "Return pinned story N to its place",
				digest.EditDrop: "Leave story N out of the issue", digest.EditRestore: "Bring dropped or left-out story N back"}[k],
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error { return a.editStory(cmd, k, args[0]) },
		})
	}
	states := []struct {
		use, short string
		from       []digest.DraftState
		to         digest.DraftState
		kind       digest.EditKind
	}{
		{"approve", "Approve the draft as it stands now", []digest.DraftState{digest.DraftOpen, digest.DraftHeld}, digest.DraftApproved, digest.EditApprove},
		{"hold", "Keep the draft from going out (an approval is withdrawn)", []digest.DraftState{digest.DraftOpen, digest.DraftApproved}, digest.DraftHeld, digest.EditHold},
		{"release", "Lift a hold", []digest.DraftState{digest.DraftHeld}, digest.DraftOpen, digest.EditRelease},
	}
	for _, st := range states {
		cmd.AddCommand(&cobra.Command{
			Use:   st.use,
			Short: st.short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				v, err := a.currentDraft(cmd)
				if err != nil {
					return err
				}
				ds, _ := a.svc.Drafts()
				d, err := ds.SetDraftState(cmd.Context(), v.Draft.Slot, st.from, st.to, v.Draft.Version,
					digest.Edit{Kind: st.kind, Editor: cliEditor, At: a.svc.Now()})
				if errors.Is(err, digest.ErrConflict) {
					return fmt.Errorf("the draft is %s, or changed while this ran; see digest draft show", v.Draft.State)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "draft for %s is now %s (version %d)\n", a.when(d.Slot), d.State, d.Version)
				if d.State == digest.DraftApproved {
					fmt.Fprintln(cmd.OutOrStdout(), "digest serve sends it at its slot, or within a minute if the slot has passed")
				}
				return nil
			},
		})
	}
	return cmd
}

func (a *app) when(t time.Time) string {
	return t.In(a.cfg.Location).Format("Mon 2 Jan 2006 15:04 MST")
}

func (a *app) currentDraft(cmd *cobra.Command) (digest.DraftView, error) {
	svc, err := a.service(cmd.Context())
	if err != nil {
		return digest.DraftView{}, err
	}
	if !svc.Cfg.Review.On() {
		return digest.DraftView{}, fmt.Errorf("%s: review.mode is off: issues go out as built, without a draft; set review.mode to veto or approve", svc.Cfg.Path)
	}
	v, err := svc.CurrentView(cmd.Context())
	if errors.Is(err, digest.ErrNotFound) {
		next := svc.Slots.Next(svc.Now())
		return v, fmt.Errorf("no draft is under review; the next is built at %s, review.lead (%s, at most half the time between slots) before its slot",
			a.when(next.Add(-svc.Lead(next))), svc.Cfg.Review.Lead)
	}
	return v, err
}

func (a *app) editStory(cmd *cobra.Command, kind digest.EditKind, arg string) error {
	v, err := a.currentDraft(cmd)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 || n > len(v.Edited.Stories) {
		return fmt.Errorf("%q is not a story number: give one from 1 to %d, as digest draft show lists them", arg, len(v.Edited.Stories))
	}
	story := v.Edited.Stories[n-1]
	ds, _ := a.svc.Drafts()
	_, err = ds.AddEdit(cmd.Context(), digest.Edit{Slot: v.Draft.Slot, Story: story.Entry.Article.ID, Kind: kind, Editor: cliEditor, At: a.svc.Now()}, 0)
	if errors.Is(err, digest.ErrConflict) {
		return fmt.Errorf("the draft is %s: it takes no more edits (hold it to change it again)", v.Draft.State)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", kind, story.Entry.Article.Title)
	return nil
}

func printDraft(w io.Writer, cfg *config.Config, v digest.DraftView) {
	d, is := v.Draft, v.Edited.Issue
	fmt.Fprintf(w, "draft of issue #%d for %s: %s (version %d, review.mode %s)\n", is.Number,
		d.Slot.In(cfg.Location).Format("Mon 2 Jan 2006 15:04 MST"), d.State, d.Version, cfg.Review.Mode)
	fmt.Fprintf(w, "subject: %s\n", is.Subject)
	if is.Intro != "" {
		fmt.Fprintf(w, "intro:   %s\n", oneLineCLI(is.Intro, 100))
	}
	fmt.Fprintln(w)
	out := false
	for i, s := range v.Edited.Stories {
		where := s.Section
		switch {
		case s.In && where == "":
			where = digest.TopSection
		case !s.In && !out:
			fmt.Fprintln(w, "\nleft out:")
			out = true
		}
		var marks string
		for _, m := range []struct {
			on   bool
			name string
		}{{s.Pinned, "pinned"}, {s.Pick, "pick"}, {s.Dropped, "dropped"}, {s.HeadlineEdit != 0 || s.SummaryEdit != 0, "edited"}, {!s.In && !s.Restorable, "no text kept"}} {
			if m.on {
				marks += " [" + m.name + "]"
			}
		}
		if s.In {
			marks = " (" + where + ")" + marks
		}
		fmt.Fprintf(w, "%3d  %6.3f  %s%s\n", i+1, s.Entry.Score, s.Entry.Article.Title, marks)
		if s.Entry.Why != "" {
			fmt.Fprintf(w, "             %s\n", oneLineCLI(s.Entry.Why, 110))
		}
	}
	if len(v.Edits) > 0 {
		fmt.Fprintln(w, "\nhistory:")
		for _, e := range v.Edits {
			what := string(e.Kind)
			if e.Story != "" {
				what += " " + e.Story
			}
			if e.Value != "" {
				what += ": " + oneLineCLI(e.Value, 60)
			}
			fmt.Fprintf(w, "  %s  %-24s %s\n", e.At.In(cfg.Location).Format("2006-01-02 15:04"), e.Editor, what)
		}
	}
}

func oneLineCLI(s string, n int) string {
	s = digest.CleanEditText(digest.EditHeadline, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
