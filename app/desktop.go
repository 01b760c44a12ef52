package app

import (
	"context"
	"io/fs"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsEmitter sends events through the Wails runtime of the window.
type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(name string, data any) { runtime.EventsEmit(e.ctx, name, data) }

// RunDesktop shows the program in its own window until it is closed. A
// binary built without the desktop tags returns an error saying so.
func RunDesktop(s *Services, ui fs.FS) error {
	return wails.Run(&options.App{
		Title:            "S-Connect",
		Width:            1180,
		Height:           820,
		MinWidth:         900,
		MinHeight:        640,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: ui},
		OnStartup:        func(ctx context.Context) { s.SetEmitter(wailsEmitter{ctx}) },
		Bind:             s.Bound(),
		ErrorFormatter:   s.FormatError,
	})
}
