package config

import (
	"fmt"
	"os"
	"slices"
)

// Load builds the configuration from its layers, each overriding the one before:
//
//  1. the preset: preset if not empty, else the file's top-level `preset:` key,
//     else [DefaultPreset];
//  2. the file at path, if path is not empty (see [Parse]);
//  3. the DATALID_* variables of the process environment (see [ApplyEnv]);
//
// and validates the result. A preset given by the caller (--preset, DATALID_PRESET)
// wins over the file's `preset:` key, and the result's Preset field names the preset
// used. Errors name the file and line, or the variable, or the key.
func Load(path, preset string) (Config, error) {
	return LoadEnv(path, preset, os.Environ())
}

// LoadEnv is [Load] with the environment given as "NAME=value" entries.
func LoadEnv(path, preset string, environ []string) (Config, error) {
	var data []byte
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
	}
	c, err := layer(data, path, preset)
	if err != nil {
		return Config{}, err
	}
	if err := ApplyEnv(&c, environ); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		if path != "" {
			return Config{}, fmt.Errorf("config: %s: invalid configuration:\n%w", path, err)
		}
		return Config{}, fmt.Errorf("config: invalid configuration:\n%w", err)
	}
	return c, nil
}

// layer chooses the base preset and overlays the file (data, named source) on it.
func layer(data []byte, source, preset string) (Config, error) {
	if source == "" {
		source = "config"
	}
	root, err := parseDocument(data, source)
	if err != nil {
		return Config{}, err
	}
	fileName, line, err := presetKey(root, source)
	if err != nil {
		return Config{}, err
	}
	if fileName != "" && !slices.Contains(PresetNames(), fileName) {
		return Config{}, &ParseError{Source: source, Line: line, Key: "preset",
			Msg: fmt.Sprintf("unknown preset %q (%s)", fileName, suggest(fileName, PresetNames()))}
	}
	name := preset
	if name == "" {
		name = fileName
	}
	if name == "" {
		name = DefaultPreset
	}
	base, err := Preset(name)
	if err != nil {
		return Config{}, err
	}
	c, err := overlay(root, base, source)
	if err != nil {
		return Config{}, err
	}
	c.Preset = name
	return c, nil
}
