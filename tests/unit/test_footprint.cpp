// The size a run is planned for: every post a scenario can fill counts
// towards the people it may hold, whichever form its extra posts take, so
// that a run's memory estimate never falls short because of the form.
#include <gtest/gtest.h>

#include "model_fixture.hpp"
#include "run/footprint.hpp"

namespace wfsim::run {
namespace {

TEST(Footprint, ExtraPostsCountInEitherForm) {
  const model::Parameters base = test::baseline_parameters();
  model::Parameters from_start = base;
  from_start.policies.extra_posts.enabled = true;
  from_start.policies.extra_posts.posts = {100, 10};
  model::Parameters in_phases = base;
  in_phases.policies.extra_posts.enabled = true;
  in_phases.policies.extra_posts.phases = {{0, {60, 6}}, {12, {40, 4}}};
  // Each post may hold a worker and a hire under notice for it.
  EXPECT_DOUBLE_EQ(peak_people(from_start) - peak_people(base), 2 * 110.0);
  EXPECT_DOUBLE_EQ(peak_people(in_phases) - peak_people(base), 2 * 110.0);
}

}  // namespace
}  // namespace wfsim::run
