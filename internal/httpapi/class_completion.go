package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/class"
	"skillrecord/internal/identity"
)

type completedJSON struct {
	SSNMasked          string  `json:"ssn_masked"`
	NameMasked         string  `json:"name_masked"`
	TrainingID         string  `json:"training_id"`
	Result             string  `json:"result"`
	AttendanceRate     float64 `json:"attendance_rate"`
	SubsidyAmountCents *int64  `json:"subsidy_amount_cents,omitempty"`
}

type completionJSON struct {
	ClassID     string          `json:"class_id"`
	Status      string          `json:"status"`
	CompletedAt time.Time       `json:"completed_at"`
	Trainees    []completedJSON `json:"trainees"`
}

func toCompletionJSON(c class.Completion) completionJSON {
	out := completionJSON{ClassID: c.Class.ID, Status: c.Class.Status, CompletedAt: c.Class.CompletedAt,
		Trainees: make([]completedJSON, len(c.Trainees))}
	for i, t := range c.Trainees {
		out.Trainees[i] = completedJSON{
			SSNMasked: identity.MaskSSN(string(t.Member.SSN)), NameMasked: identity.MaskName(t.Member.Name),
			TrainingID: t.TrainingID, Result: t.Result, AttendanceRate: t.AttendanceRate, SubsidyAmountCents: t.SubsidyCents,
		}
	}
	return out
}

// completeClass serves POST /classes/{id}/completion {trainees}: 201 with the records made,
// 200 with the same answer when the same completion was posted before.
func completeClass(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in class.CompletionInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		done, outcome, err := svc.Complete(c.Request.Context(), inst, c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if outcome == class.Created {
			status = http.StatusCreated
		}
		c.JSON(status, toCompletionJSON(done))
	}
}
