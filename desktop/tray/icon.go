package tray

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

//go:embed icon.png
var baseIcon []byte

// State is what the icon shows.
type State string

const (
	Idle    State = "idle"    // the plain icon
	Running State = "running" // blue dot
	Failed  State = "failed"  // red dot: the last run of a task failed
	Held    State = "held"    // orange dot: orders wait for the user
	Paused  State = "paused"  // grey dot: schedules paused
)

var badge = map[State]color.NRGBA{
	Running: {0x25, 0x63, 0xeb, 0xff},
	Failed:  {0xdc, 0x26, 0x26, 0xff},
	Held:    {0xf5, 0x9e, 0x0b, 0xff},
	Paused:  {0x6b, 0x72, 0x80, 0xff},
}

// IconPNG returns the icon for a state as PNG: the program's icon with a
// coloured dot in the lower right corner (none when idle).
func IconPNG(s State) []byte {
	src, err := png.Decode(bytes.NewReader(baseIcon))
	if err != nil {
		panic("tray: embedded icon: " + err.Error()) // the file is part of the build
	}
	b := src.Bounds()
	img := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(img, img.Bounds(), src, b.Min, draw.Src)
	if c, ok := badge[s]; ok {
		size := float64(b.Dx())
		r := size * 0.24
		cx, cy := size-r-1, size-r-1
		white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
				switch d := dx*dx + dy*dy; {
				case d <= (r-2)*(r-2):
					img.SetNRGBA(x, y, c)
				case d <= r*r:
					img.SetNRGBA(x, y, white)
				}
			}
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return out.Bytes()
}

// IconICO wraps the PNG of a state in an .ico file, which is what the
// Windows tray loads (Windows reads PNG images inside .ico since Vista).
func IconICO(s State) []byte {
	p := IconPNG(s)
	cfg, _ := png.DecodeConfig(bytes.NewReader(p))
	dim := func(n int) byte {
		if n >= 256 {
			return 0 // 0 means 256
		}
		return byte(n)
	}
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, [3]uint16{0, 1, 1}) // reserved, type icon, one image
	out.Write([]byte{dim(cfg.Width), dim(cfg.Height), 0, 0})
	binary.Write(&out, binary.LittleEndian, [2]uint16{1, 32}) // planes, bits per pixel
	binary.Write(&out, binary.LittleEndian, [2]uint32{uint32(len(p)), 6 + 16})
	out.Write(p)
	return out.Bytes()
}
