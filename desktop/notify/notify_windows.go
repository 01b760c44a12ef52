package notify

import (
	"net/url"
	"strconv"

	"git.sr.ht/~jackmordaunt/go-toast"
)

// Desktop shows Windows toasts. A click starts the activation callback in
// this process, with the arguments the toast was sent with.
type Desktop struct {
	appName string
	icon    string
}

// New registers the program for toasts (per user, under
// HKCU\Software\Classes\AppUserModelId; the uninstaller removes it). icon is
// an absolute path to a PNG or ICO (or ""); onClick receives the message of
// a clicked toast.
func New(appName, icon string, onClick func(Message)) (*Desktop, error) {
	if err := toast.SetAppData(toast.AppData{AppID: appName, IconPath: icon}); err != nil {
		return nil, err
	}
	toast.SetActivationCallback(func(args string, _ []toast.UserData) {
		q, err := url.ParseQuery(args)
		if err != nil || onClick == nil {
			return
		}
		id, _ := strconv.ParseUint(q.Get("profile"), 10, 32)
		onClick(Message{Cause: q.Get("cause"), View: q.Get("view"), ProfileID: uint(id)})
	})
	return &Desktop{appName: appName, icon: icon}, nil
}

// Notify shows m.
func (d *Desktop) Notify(m Message) error {
	args := url.Values{"cause": {m.Cause}, "view": {m.View}, "profile": {strconv.FormatUint(uint64(m.ProfileID), 10)}}
	n := toast.Notification{AppID: d.appName, Title: m.Title, Body: m.Body, Icon: d.icon,
		ActivationType: toast.Foreground, ActivationArguments: args.Encode()}
	return n.Push()
}

// Close does nothing: toasts need no connection.
func (d *Desktop) Close() error { return nil }
