package digest

import (
	"context"
	"errors"
	"time"
)

// ErrConflict says a change was refused because the thing it was based on
// changed meanwhile (another editor's edit, a rebuild, an approval), or
// because the draft's state does not allow it. Nothing was changed.
var ErrConflict = errors.New("changed meanwhile")

// ErrExpired says a sign-in link or session is past its time.
var ErrExpired = errors.New("expired")

// DraftState is where a draft stands in review.
type DraftState string

const (
	DraftOpen     DraftState = "open"     // editable; in veto mode it goes out at the slot
	DraftHeld     DraftState = "held"     // an editor stopped it; it is not sent while held
	DraftApproved DraftState = "approved" // an editor approved this version; frozen
	DraftSent     DraftState = "sent"     // became issue Number
	DraftSkipped  DraftState = "skipped"  // never sent (approve mode's skip policy, or superseded)
)

// Final reports whether the draft can no longer change.
func (s DraftState) Final() bool { return s == DraftSent || s == DraftSkipped }

// Draft is an issue not yet sent, kept under its slot while editors review
// it. Issue is the curated issue as built; the editors' edits are stored
// apart (Edit, keyed by story) and applied over it by ApplyEdits, so that a
// rebuild with new articles keeps every edit.
type Draft struct {
	Slot  time.Time `json:"slot"`
	Issue Issue     `json:"issue"`
	// Extra holds stories the curation left out, with their text and
	// summary, so that an editor can restore them (Issue.Skipped only
	// keeps what explains the cut).
	Extra []Entry `json:"extra,omitempty"`
	// Articles are the IDs of every article gathered for the draft; they
	// are marked seen when it is sent, and a rebuild compares them to find
	// new ones.
	Articles []string   `json:"articles"`
	State    DraftState `json:"-"`
	// Version counts every change (rebuild, edit, link, state); an approval
	// names the version the editor saw.
	Version int       `json:"-"`
	Number  int       `json:"-"` // the issue it became, once sent
	BuiltAt time.Time `json:"-"` // last (re)build
}

// EditKind is what an edit does.
type EditKind string

const (
	EditPin      EditKind = "pin"      // put the story on top, whatever its score
	EditUnpin    EditKind = "unpin"    // back to where the curation put it
	EditDrop     EditKind = "drop"     // leave it out
	EditRestore  EditKind = "restore"  // bring a dropped or left-out story back
	EditUp       EditKind = "up"       // one place up within its section
	EditDown     EditKind = "down"     // one place down within its section
	EditSection  EditKind = "section"  // Value: the section to move it to ("" for the top stories)
	EditHeadline EditKind = "headline" // Value: the new title ("" restores the original)
	EditSummary  EditKind = "summary"  // Value: the new summary ("" restores the original)
	EditIntro    EditKind = "intro"    // Value: the issue's intro ("" restores the generated one)
	// The rest change no content; they are recorded so that the history
	// says who did what and when.
	EditLink    EditKind = "link" // Story: the added link's story ID; Value: its URL
	EditHold    EditKind = "hold"
	EditRelease EditKind = "release"
	EditApprove EditKind = "approve"
	EditSkip    EditKind = "skip" // the draft will not be sent (deadline policy, superseded, empty)
)

// StoryEdit reports whether the kind needs a Story.
func (k EditKind) StoryEdit() bool {
	switch k {
	case EditPin, EditUnpin, EditDrop, EditRestore, EditUp, EditDown, EditSection, EditHeadline, EditSummary:
		return true
	}
	return false
}

// TextEdit reports whether the kind replaces a text (checked for
// conflicting concurrent edits).
func (k EditKind) TextEdit() bool {
	return k == EditHeadline || k == EditSummary || k == EditIntro
}

// Edit is one change an editor made to a draft, recorded with who and when.
type Edit struct {
	ID     int64     `json:"id"`
	Slot   time.Time `json:"slot"`
	Story  string    `json:"story,omitempty"` // the article ID; empty for issue-wide edits
	Kind   EditKind  `json:"kind"`
	Value  string    `json:"value,omitempty"`
	Editor string    `json:"editor"` // an address from review.editors, or "admin", or "cli"
	At     time.Time `json:"at"`
}

// Link is a page an editor added: fetched, extracted and summarized when
// added, it joins a draft as an editor's pick.
type Link struct {
	ID      int64     `json:"id"`
	URL     string    `json:"url"`
	Note    string    `json:"note,omitempty"`
	Article Article   `json:"article"`
	AddedBy string    `json:"added_by"`
	AddedAt time.Time `json:"added_at"`
	// Slot is the draft (or issue) it joined; zero while it waits in the
	// pool for the next draft.
	Slot time.Time `json:"slot"`
}

// DraftStore keeps drafts, their edits and added links. Every method is
// safe for concurrent use by several processes sharing the store; each
// change bumps the draft's Version in the same transaction.
type DraftStore interface {
	// Draft returns the draft for slot, or ErrNotFound.
	Draft(ctx context.Context, slot time.Time) (Draft, error)
	// CurrentDraft returns the newest draft that is not final, or ErrNotFound.
	CurrentDraft(ctx context.Context) (Draft, error)
	// CreateDraft stores d (State open) and moves the links waiting in the
	// pool into it. If a draft for d.Slot exists it changes nothing and
	// returns that one with created=false.
	CreateDraft(ctx context.Context, d Draft) (out Draft, created bool, err error)
	// RebuildDraft replaces the curated content (Issue, Extra, Articles,
	// BuiltAt) of an open or held draft, keeping its state and edits.
	// Returns ErrConflict if the draft is approved or final.
	RebuildDraft(ctx context.Context, d Draft) (Draft, error)
	// SetDraftState moves the draft to state `to` if its state is one of
	// from and, when version is not 0, its version is that one; it records
	// e (with e.Slot set to slot) in the history. A skipped draft's links
	// go back to the pool, for the next draft. Returns ErrConflict
	// otherwise, and ErrNotFound for no draft.
	SetDraftState(ctx context.Context, slot time.Time, from []DraftState, to DraftState, version int, e Edit) (Draft, error)
	// MarkDraftSent records that the draft became issue number.
	MarkDraftSent(ctx context.Context, slot time.Time, number int) error
	// AddEdit records e on an open or held draft. For a text edit, base is
	// the ID of the edit of the same story and kind the editor started
	// from (0 for the original text); if another edit of it came since, it
	// returns ErrConflict and records nothing. Returns ErrConflict too when
	// the draft is approved or final.
	AddEdit(ctx context.Context, e Edit, base int64) (Edit, error)
	// Edits returns the draft's edits in the order they were made.
	Edits(ctx context.Context, slot time.Time) ([]Edit, error)
	// AddLink stores l. It joins the current draft if that one is open or
	// held (recording an EditLink by l.AddedBy), and otherwise waits in the
	// pool; the returned Link says which.
	AddLink(ctx context.Context, l Link) (Link, error)
	// Links returns the links that joined the draft for slot, oldest first;
	// a zero slot returns the pool.
	Links(ctx context.Context, slot time.Time) ([]Link, error)
	// ClaimLinks moves the links waiting in the pool to slot (an issue
	// built without review) and returns every link of slot.
	ClaimLinks(ctx context.Context, slot time.Time) ([]Link, error)
	// ClaimReminder records that reminder stage (1, 2, ...) of the draft is
	// being sent; it returns false if it was already, by any process.
	ClaimReminder(ctx context.Context, slot time.Time, stage int) (bool, error)
	// ClaimRefresh records that this process checks the draft for new
	// articles now; it returns false if the draft was built or checked
	// after since (by any process), or is neither open nor held.
	ClaimRefresh(ctx context.Context, slot time.Time, now, since time.Time) (bool, error)
}

// DraftView is a draft as the desk and the CLI show it: the stored draft,
// its edits and links, and the issue they make (numbered and with its
// subject, as it would be sent now).
type DraftView struct {
	Draft  Draft
	Edited Edited
	Edits  []Edit
	Links  []Link
}

// Refusal is bad input explained for the person who gave it (an editor,
// an API client); it matches ErrInvalid. Msg is safe to show them.
type Refusal struct {
	Msg string
	Err error // the cause, for logs; may be nil
}

func (r *Refusal) Error() string { return r.Msg }

// Is makes a Refusal match ErrInvalid.
func (r *Refusal) Is(target error) bool { return target == ErrInvalid }

func (r *Refusal) Unwrap() error { return r.Err }
