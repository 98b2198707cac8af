//go:build cgo

package onnx

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// appendProvider enables the requested GPU provider and reports the one in effect. The CPU
// library shipped for this project has no CUDA or TensorRT: asking for them logs why and
// falls back to CPU instead of refusing to serve.
func appendProvider(so *ort.SessionOptions, opt Options) (string, error) {
	switch strings.ToLower(opt.Provider) {
	case "", "cpu":
		return "cpu", nil
	case "cuda":
		if err := appendCUDA(so, opt); err != nil {
			slog.Warn("CUDA execution provider unavailable, using CPU", "err", err)
			return "cpu", nil
		}
		return "cuda", nil
	case "tensorrt":
		if err := appendTensorRT(so, opt); err != nil {
			slog.Warn("TensorRT execution provider unavailable, trying CUDA", "err", err)
			if err := appendCUDA(so, opt); err != nil {
				slog.Warn("CUDA execution provider unavailable, using CPU", "err", err)
				return "cpu", nil
			}
			return "cuda", nil
		}
		// CUDA after TensorRT runs the nodes TensorRT does not take.
		if err := appendCUDA(so, opt); err != nil {
			slog.Warn("CUDA fallback for TensorRT unavailable", "err", err)
		}
		return "tensorrt", nil
	}
	return "", fmt.Errorf("unknown execution provider %q (want cpu, cuda or tensorrt)", opt.Provider)
}

func appendCUDA(so *ort.SessionOptions, opt Options) error {
	o, err := ort.NewCUDAProviderOptions()
	if err != nil {
		return err
	}
	defer o.Destroy()
	if err := o.Update(map[string]string{"device_id": strconv.Itoa(opt.DeviceID)}); err != nil {
		return err
	}
	return so.AppendExecutionProviderCUDA(o)
}

func appendTensorRT(so *ort.SessionOptions, opt Options) error {
	o, err := ort.NewTensorRTProviderOptions()
	if err != nil {
		return err
	}
	defer o.Destroy()
	m := map[string]string{"device_id": strconv.Itoa(opt.DeviceID)}
	if opt.FP16 {
		m["trt_fp16_enable"] = "1"
	}
	if opt.EngineCacheDir != "" {
		m["trt_engine_cache_enable"] = "1"
		m["trt_engine_cache_path"] = opt.EngineCacheDir
	}
	if err := o.Update(m); err != nil {
		return err
	}
	return so.AppendExecutionProviderTensorRT(o)
}
