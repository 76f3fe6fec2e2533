// The docs' parameter table is the schema's own rendering: they cannot drift.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scenario/parameter_registry.hpp"

namespace {

TEST(Docs, ModelDocCarriesTheCurrentParameterTable) {
  std::ifstream file(std::string(WFSIM_SOURCE_DIR) + "/docs/model.md");
  ASSERT_TRUE(file) << "docs/model.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_NE(text.str().find(wfsim::scenario::parameter_table_markdown()), std::string::npos)
      << "docs/model.md is out of date: replace its parameter table with the output of `wfsim parameters`";
}

}  // namespace
