// Package alert shows a message the user must see when the desktop program
// cannot start (a damaged or locked settings database, no settings folder).
// The Windows build is a GUI program without a console: what it writes to
// stderr reaches nobody, so the error would pass unseen and the program
// would simply not appear. A message box says what is wrong and what to do.
package alert

import "errors"

// ErrNoWay means this computer offers no way to show a message box (no
// display, no dialog program); stderr is then all there is.
var ErrNoWay = errors.New("alert: no way to show a message box here")
