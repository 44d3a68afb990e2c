#!/bin/bash
set -euo pipefail
scene=$1 output=$2 frame=$3 quality=$4
mkdir -p "$output"
blender --background "$scene" --render-output "$output/frame_####" --render-frame "$frame" -- --quality "$quality"
