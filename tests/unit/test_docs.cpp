// The docs' parameter table is the schema's own rendering, and their order
// of events the model's own list: they cannot drift.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/month.hpp"
#include "scenario/parameter_registry.hpp"
#include "source_path.hpp"

namespace {

using wfsim::test::source_path;
using wfsim::test::test_scenario_path;

std::string model_doc() {
  std::ifstream file(source_path("docs/model.md").string());
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(Docs, ModelDocCarriesTheCurrentParameterTable) {
  EXPECT_NE(model_doc().find(wfsim::scenario::parameter_table_markdown()), std::string::npos)
      << "docs/model.md is out of date: replace its parameter table with the output of `wfsim parameters`";
}

TEST(Docs, ModelDocShowsTheMonthOrderTheModelDeclares) {
  std::string list;
  int number = 0;
  for (const auto& step : wfsim::model::kMonthOrder)
    list += fmt::format("{}. **{}** (`engine/{}`) — {};\n", ++number, step.name, step.module, step.what);
  EXPECT_NE(model_doc().find(list), std::string::npos)
      << "docs/model.md's order of events differs from model::kMonthOrder; it should read:\n"
      << list;
}

}  // namespace
