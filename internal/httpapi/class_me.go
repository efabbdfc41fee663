package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/class"
)

type myClassJSON struct {
	ClassID          string  `json:"class_id"`
	CourseName       string  `json:"course_name"`
	Status           string  `json:"status"`
	SessionsHeld     int     `json:"sessions_held"`
	SessionsAttended int     `json:"sessions_attended"`
	AttendanceRate   float64 `json:"attendance_rate"`
}

func toMyClassJSON(m class.Mine) myClassJSON {
	return myClassJSON{ClassID: m.Class.ID, CourseName: m.Class.CourseName, Status: m.Class.Status,
		SessionsHeld: m.SessionsHeld, SessionsAttended: m.SessionsAttended, AttendanceRate: m.AttendanceRate}
}

// listMyClasses serves GET /me/classes: the classes the calling worker is on the roster of,
// newest filing first, with attendance so far.
func listMyClasses(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.ListForWorker(c.Request.Context(), principalOf(c).ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toMyClassJSON))
	}
}
