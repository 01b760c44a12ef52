package alert

import "golang.org/x/sys/windows"

// Error shows a modal message box with an error icon and waits for OK.
func Error(title, text string) error {
	t, err := windows.UTF16PtrFromString(text)
	if err != nil {
		return err
	}
	c, err := windows.UTF16PtrFromString(title)
	if err != nil {
		return err
	}
	_, err = windows.MessageBox(0, t, c, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND)
	return err
}
