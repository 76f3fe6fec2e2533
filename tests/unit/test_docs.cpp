// The docs' parameter table is the schema's own rendering: they cannot drift.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scenario/parameter_registry.hpp"
#include "source_path.hpp"

namespace {

using wfsim::test::source_path;
using wfsim::test::test_scenario_path;

TEST(Docs, ModelDocCarriesTheCurrentParameterTable) {
  std::ifstream file(source_path("docs/model.md").string());
  ASSERT_TRUE(file) << "docs/model.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_NE(text.str().find(wfsim::scenario::parameter_table_markdown()), std::string::npos)
      << "docs/model.md is out of date: replace its parameter table with the output of `wfsim parameters`";
}

}  // namespace
