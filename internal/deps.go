package internal

import (
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/spf13/cobra"
	_ "github.com/yalue/onnxruntime_go"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/image/font/gofont/goregular"
	_ "golang.org/x/image/webp"
)
