// The what-if page: one self-contained HTML file (engine/serve/page.html,
// its styles and script inline), compiled into the binary so `wfsim serve`
// needs no files beside it and the page loads nothing from anywhere else.
#pragma once

#include <string_view>

namespace wfsim::serve {

extern const std::string_view kPageHtml;

}  // namespace wfsim::serve
