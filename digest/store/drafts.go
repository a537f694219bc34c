package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
)

var _ digest.DraftStore = (*db)(nil)

const draftCols = `slot, data, state, version, number, built_at`

// editable are the states in which a draft takes edits and rebuilds.
var editable = []digest.DraftState{digest.DraftOpen, digest.DraftHeld}

func slotName(slot time.Time) string { return slot.UTC().Format(time.RFC3339) }

func scanDraft(r rowScanner) (digest.Draft, error) {
	var (
		d      digest.Draft
		slot   dbTime
		built  dbTime
		data   string
		state  string
		number sql.NullInt64
	)
	if err := r.Scan(&slot, &data, &state, &d.Version, &number, &built); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return d, fmt.Errorf("decode: %w", err)
	}
	d.Slot, d.State, d.Number, d.BuiltAt = slot.T, digest.DraftState(state), int(number.Int64), built.T
	return d, nil
}

func (s *db) draftWhere(ctx context.Context, q queryer, what, where string, args ...any) (digest.Draft, error) {
	d, err := scanDraft(q.QueryRowContext(ctx, s.d.q(`SELECT `+draftCols+` FROM drafts WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("store: draft %s: %w", what, digest.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("store: draft %s: %w", what, err)
	}
	return d, nil
}

func (s *db) Draft(ctx context.Context, slot time.Time) (digest.Draft, error) {
	return s.draftWhere(ctx, s.r, slotName(slot), `slot = ?`, s.d.t(slot))
}

func (s *db) CurrentDraft(ctx context.Context) (digest.Draft, error) {
	return s.draftWhere(ctx, s.r, "current", `state NOT IN (?, ?) ORDER BY slot DESC LIMIT 1`,
		string(digest.DraftSent), string(digest.DraftSkipped))
}

func encodeDraft(d digest.Draft) (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("store: draft %s: encode: %w", slotName(d.Slot), err)
	}
	return string(b), nil
}

func (s *db) CreateDraft(ctx context.Context, d digest.Draft) (digest.Draft, bool, error) {
	if d.Slot.IsZero() {
		return d, false, fmt.Errorf("store: create draft: no slot: %w", digest.ErrInvalid)
	}
	d.Slot, d.BuiltAt = roundTime(d.Slot), roundTime(d.BuiltAt)
	if d.BuiltAt.IsZero() {
		d.BuiltAt = roundTime(time.Now())
	}
	data, err := encodeDraft(d)
	if err != nil {
		return d, false, err
	}
	var (
		out     digest.Draft
		created bool
	)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO drafts (slot, data, state, version, built_at, updated_at, checked_at)
			VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT (slot) DO NOTHING`),
			s.d.t(d.Slot), data, string(digest.DraftOpen), s.d.t(d.BuiltAt), s.d.t(time.Now()), s.d.t(d.BuiltAt))
		if err != nil {
			return fmt.Errorf("store: create draft %s: %w", slotName(d.Slot), err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			created = true
			// Links waiting in the pool join the new draft.
			if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE links SET slot = ? WHERE slot IS NULL`), s.d.t(d.Slot)); err != nil {
				return fmt.Errorf("store: create draft %s: claim links: %w", slotName(d.Slot), err)
			}
		}
		out, err = s.draftWhere(ctx, tx, slotName(d.Slot), `slot = ?`, s.d.t(d.Slot))
		return err
	})
	return out, created, err
}

// lockDraft reads the draft's state and version inside tx, locking its
// row on PostgreSQL so that changes to one draft are serialized (SQLite's
// write transactions are already).
func (s *db) lockDraft(ctx context.Context, tx *sql.Tx, slot time.Time) (digest.DraftState, int, error) {
	var (
		state   string
		version int
	)
	q := `SELECT state, version FROM drafts WHERE slot = ?`
	if s.d.postgres {
		q += ` FOR UPDATE`
	}
	err := tx.QueryRowContext(ctx, s.d.q(q), s.d.t(slot)).Scan(&state, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("store: draft %s: %w", slotName(slot), digest.ErrNotFound)
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: draft %s: %w", slotName(slot), err)
	}
	return digest.DraftState(state), version, nil
}

func (s *db) bumpDraft(ctx context.Context, tx *sql.Tx, slot time.Time, set string, args ...any) error {
	q := `UPDATE drafts SET version = version + 1, updated_at = ?`
	if set != "" {
		q += `, ` + set
	}
	all := append([]any{s.d.t(time.Now())}, args...)
	all = append(all, s.d.t(slot))
	if _, err := tx.ExecContext(ctx, s.d.q(q+` WHERE slot = ?`), all...); err != nil {
		return fmt.Errorf("store: draft %s: %w", slotName(slot), err)
	}
	return nil
}

func stateIn(st digest.DraftState, states []digest.DraftState) bool {
	for _, x := range states {
		if x == st {
			return true
		}
	}
	return false
}

func (s *db) RebuildDraft(ctx context.Context, d digest.Draft) (digest.Draft, error) {
	d.Slot = roundTime(d.Slot)
	if d.BuiltAt.IsZero() {
		d.BuiltAt = time.Now()
	}
	data, err := encodeDraft(d)
	if err != nil {
		return d, err
	}
	var out digest.Draft
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		st, _, err := s.lockDraft(ctx, tx, d.Slot)
		if err != nil {
			return err
		}
		if !stateIn(st, editable) {
			return fmt.Errorf("store: rebuild draft %s: it is %s: %w", slotName(d.Slot), st, digest.ErrConflict)
		}
		if err := s.bumpDraft(ctx, tx, d.Slot, `data = ?, built_at = ?, checked_at = ?`, data, s.d.t(d.BuiltAt), s.d.t(d.BuiltAt)); err != nil {
			return err
		}
		out, err = s.draftWhere(ctx, tx, slotName(d.Slot), `slot = ?`, s.d.t(d.Slot))
		return err
	})
	return out, err
}

func (s *db) SetDraftState(ctx context.Context, slot time.Time, from []digest.DraftState, to digest.DraftState, version int, e digest.Edit) (digest.Draft, error) {
	var out digest.Draft
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, v, err := s.lockDraft(ctx, tx, slot)
		if err != nil {
			return err
		}
		if !stateIn(st, from) {
			return fmt.Errorf("store: draft %s is %s, not %s: %w", slotName(slot), st, joinStates(from), digest.ErrConflict)
		}
		if version != 0 && v != version {
			return fmt.Errorf("store: draft %s is at version %d, not %d: %w", slotName(slot), v, version, digest.ErrConflict)
		}
		if err := s.bumpDraft(ctx, tx, slot, `state = ?`, string(to)); err != nil {
			return err
		}
		if to == digest.DraftSkipped {
			if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE links SET slot = NULL WHERE slot = ?`), s.d.t(slot)); err != nil {
				return fmt.Errorf("store: draft %s: return links to the pool: %w", slotName(slot), err)
			}
		}
		e.Slot = slot
		if _, err := s.insertEdit(ctx, tx, e); err != nil {
			return err
		}
		out, err = s.draftWhere(ctx, tx, slotName(slot), `slot = ?`, s.d.t(slot))
		return err
	})
	return out, err
}

func joinStates(ss []digest.DraftState) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " or ")
}

func (s *db) MarkDraftSent(ctx context.Context, slot time.Time, number int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockDraft(ctx, tx, slot); err != nil {
			return err
		}
		return s.bumpDraft(ctx, tx, slot, `state = ?, number = ?`, string(digest.DraftSent), number)
	})
}

func (s *db) insertEdit(ctx context.Context, tx *sql.Tx, e digest.Edit) (digest.Edit, error) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = roundTime(e.At)
	err := tx.QueryRowContext(ctx, s.d.q(`INSERT INTO draft_edits (slot, story, kind, value, editor, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		s.d.t(e.Slot), txt(e.Story), string(e.Kind), txt(e.Value), txt(e.Editor), s.d.t(e.At)).Scan(&e.ID)
	if err != nil {
		return e, fmt.Errorf("store: record %s edit on draft %s: %w", e.Kind, slotName(e.Slot), err)
	}
	return e, nil
}

func (s *db) AddEdit(ctx context.Context, e digest.Edit, base int64) (digest.Edit, error) {
	if e.Kind == "" || e.Editor == "" || (e.Kind.StoryEdit() && e.Story == "") {
		return e, fmt.Errorf("store: edit: kind, editor and story are required: %w", digest.ErrInvalid)
	}
	e.Slot = roundTime(e.Slot)
	var out digest.Edit
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st, _, err := s.lockDraft(ctx, tx, e.Slot)
		if err != nil {
			return err
		}
		if !stateIn(st, editable) {
			return fmt.Errorf("store: edit draft %s: it is %s: %w", slotName(e.Slot), st, digest.ErrConflict)
		}
		if e.Kind.TextEdit() {
			var last int64
			err := tx.QueryRowContext(ctx, s.d.q(`SELECT COALESCE(MAX(id), 0) FROM draft_edits WHERE slot = ? AND story = ? AND kind = ?`),
				s.d.t(e.Slot), txt(e.Story), string(e.Kind)).Scan(&last)
			if err != nil {
				return fmt.Errorf("store: edit draft %s: %w", slotName(e.Slot), err)
			}
			if last != base {
				return fmt.Errorf("store: %s of %q was changed by someone else meanwhile (edit %d, not %d): %w",
					e.Kind, e.Story, last, base, digest.ErrConflict)
			}
		}
		if out, err = s.insertEdit(ctx, tx, e); err != nil {
			return err
		}
		return s.bumpDraft(ctx, tx, e.Slot, "")
	})
	return out, err
}

func (s *db) Edits(ctx context.Context, slot time.Time) ([]digest.Edit, error) {
	rows, err := s.r.QueryContext(ctx, s.d.q(`SELECT id, slot, story, kind, value, editor, at FROM draft_edits
		WHERE slot = ? ORDER BY id`), s.d.t(slot))
	if err != nil {
		return nil, fmt.Errorf("store: edits of draft %s: %w", slotName(slot), err)
	}
	defer rows.Close()
	var out []digest.Edit
	for rows.Next() {
		var (
			e        digest.Edit
			kind     string
			slot, at dbTime
		)
		if err := rows.Scan(&e.ID, &slot, &e.Story, &kind, &e.Value, &e.Editor, &at); err != nil {
			return nil, fmt.Errorf("store: edits of draft: %w", err)
		}
		e.Slot, e.Kind, e.At = slot.T, digest.EditKind(kind), at.T
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: edits of draft %s: %w", slotName(slot), err)
	}
	return out, nil
}

func (s *db) ClaimReminder(ctx context.Context, slot time.Time, stage int) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE drafts SET reminded = ? WHERE slot = ? AND reminded < ?`),
		stage, s.d.t(slot), stage)
	if err != nil {
		return false, fmt.Errorf("store: reminder of draft %s: %w", slotName(slot), err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *db) ClaimRefresh(ctx context.Context, slot time.Time, now, since time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.d.q(`UPDATE drafts SET checked_at = ?
		WHERE slot = ? AND state IN (?, ?) AND (checked_at IS NULL OR checked_at <= ?)`),
		s.d.t(now), s.d.t(slot), string(digest.DraftOpen), string(digest.DraftHeld), s.d.t(since))
	if err != nil {
		return false, fmt.Errorf("store: refresh of draft %s: %w", slotName(slot), err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
