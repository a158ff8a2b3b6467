package casus

import (
	"context"
	"strings"
	"time"
)

// Advice is expertise asked of the participants of an escalated case (the
// Actiecentrum's experts, the national level) and what they advised. The
// case director takes it up or declines it with a reason; the advice and
// who gave it stay on the case whatever its level later.
type Advice struct {
	ID            string
	CaseID        string
	CaseReference string
	Question      string // the expertise asked for
	// Level is the case's level when it was asked: the question is for
	// the participants of that level.
	Level   EscalationLevel
	AskedBy string // name
	AskedAt time.Time
	// Text is the advice, empty while it is asked; GivenBy and
	// Organisation name the adviser.
	Text         string
	GivenBy      string
	Organisation string
	GivenAt      *time.Time
	Status       AdviceStatus
	Response     string // the director's reason for taking it up or declining it
	AnsweredBy   string
	AnsweredAt   *time.Time
}

// AdviceStatus is where advice stands.
type AdviceStatus string

// Advice statuses.
const (
	AdviceAsked    AdviceStatus = "ASKED"
	AdviceGiven    AdviceStatus = "GIVEN"
	AdviceTakenUp  AdviceStatus = "TAKEN_UP"
	AdviceDeclined AdviceStatus = "DECLINED"
)

// CheckText checks a required free text of field, trimmed: not empty, at
// most MaxReason characters.
func CheckText(field string, s *string) error {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "":
		return Invalid(field, "this cannot be empty")
	case len(*s) > MaxReason:
		return Invalid(field, "at most %d characters", MaxReason)
	}
	return nil
}

// AskAdviceInput asks the participants of an escalated case for expertise.
type AskAdviceInput struct {
	CaseID   string
	Question string
}

// Validate checks that the question is there.
func (in *AskAdviceInput) Validate() error { return CheckText("question", &in.Question) }

// GiveAdviceInput is an adviser's answer to a question.
type GiveAdviceInput struct {
	AdviceID string
	Text     string
}

// Validate checks that the advice is there.
func (in *GiveAdviceInput) Validate() error { return CheckText("advice", &in.Text) }

// AnswerAdviceInput is the director's decision on advice given.
type AnswerAdviceInput struct {
	AdviceID string
	TakeUp   bool
	Reason   string
}

// Validate checks that the reason is there.
func (in *AnswerAdviceInput) Validate() error { return CheckText("reason", &in.Reason) }

// Check reports whether advice in status s may be given (give) or answered.
func (s AdviceStatus) Check(give bool) error {
	switch {
	case give && s != AdviceAsked:
		return Invalid("advice", "this advice was given already")
	case !give && s != AdviceGiven:
		return Invalid("advice", "only advice that was given and not yet answered can be taken up or declined")
	}
	return nil
}

// AdviceService asks, gives and answers advice on escalated cases.
type AdviceService interface {
	// AskAdvice asks the case's participants for expertise; the case must
	// be escalated above LOCAL and open.
	AskAdvice(ctx context.Context, in AskAdviceInput) (*Advice, error)
	// GiveAdvice answers a question, by a participant of the case's level.
	GiveAdvice(ctx context.Context, in GiveAdviceInput) (*Advice, error)
	// AnswerAdvice takes advice up or declines it, with a reason.
	AnswerAdvice(ctx context.Context, in AnswerAdviceInput) (*Advice, error)
	// AdviceOfCases returns each case's advice, oldest first.
	AdviceOfCases(ctx context.Context, caseIDs []string) ([][]*Advice, error)
	// OpenQuestions returns the questions the caller may answer, oldest
	// first.
	OpenQuestions(ctx context.Context) ([]*Advice, error)
}
