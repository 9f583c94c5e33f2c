// How a differential flame graph shows change: red grew, blue shrank (by the
// size of the change against the largest), grey within sampling noise.
#pragma once

#include "pprofx/diff/graph.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/layout.h"
#include "pprofx/render/palette.h"

namespace pprofx::render {

Rgb change_color(double change, double max_change, bool noise);

// The largest |change| of the frames drawn: what saturates the colours (a
// frame too narrow to draw does not wash out the others; the graph built
// under the frame budget colours as the complete one).
double max_drawn_change(const diff::Graph& graph, const Layout& layout);

// Sets style's per-node colours and tooltip details from the graph; every
// frame is coloured by its change, the root too (grey within noise or when
// nothing changed). Titles, unit and notes are the caller's. The details are
// made from graph when drawn: it must outlive the style's use.
void apply_diff_style(const diff::Graph& graph, const Layout& layout, FlameStyle* style);

}  // namespace pprofx::render
