// How a differential flame graph shows change: red grew, blue shrank (by the
// size of the change against the largest), grey within sampling noise.
#pragma once

#include "pprofx/diff/graph.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/palette.h"

namespace pprofx::render {

Rgb change_color(double change, double max_change, bool noise);

// Sets style's per-node colours and tooltip details from the graph; the root
// is drawn grey. Titles, unit and notes are the caller's.
void apply_diff_style(const diff::Graph& graph, FlameStyle* style);

}  // namespace pprofx::render
