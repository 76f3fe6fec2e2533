// Every line of a month's costs (MODEL.md sections 11 and 16) against a
// figure worked by hand from known staff, pay, rates and payments, so that a
// dropped monthly division, a wrong on-cost or a line counted twice fails;
// and the establishment rule: an empty post is never a saving.
#include <gtest/gtest.h>

#include <vector>

#include "model/costs.hpp"
#include "model/terms.hpp"
#include "model_fixture.hpp"

namespace wfsim::model {
namespace {

// Month 8 of the all-policies council: salaries 30,000 (social worker),
// 32,500 (grade 9 with the policy's 2,500 uplift), 40,000 (manager), 19,000
// (trainee), on-costs 1.28; supplements 1,500 / 1,500 / 1,000; agency at the
// policy's 58,000 a year; 30 extra social work and 8 extra manager posts
// (600 + 30, 78 + 8); marketing 10,000 a month; ASYE support 2,000 + the
// programme's 1,000 a year; programmes 20,000 + 5,000 a month; step-up
// 20,000 a trainee; retention payments 2,000; recruitment 3,000 a hire.
struct HandCase {
  Parameters parameters = test::all_policies_parameters();
  std::vector<MonthTerms> terms;
  StaffInPost staff;
  MonthFlows flows;
  static constexpr int kMonth = 8;

  HandCase() {
    parameters.response.recruitment_drive_gbp_per_month = 8000;
    terms_for_run(parameters, terms);
    staff.fte_in_role = {400, 80, 70};
    staff.trainee_fte = 6;
    staff.agency_fte = 50;
    staff.band_fte = {150, 100, 230};
    flows.external_starters = 5;
    flows.retention_payments = 3;
    flows.paid_trainee_intake = 10;
  }
  MonthCosts costs() const {
    return month_costs(parameters, terms[kMonth], staff, flows, /*agency_rate_multiple=*/1.2,
                       /*recruitment_drive=*/0.5);
  }
};

TEST(Costs, EveryLineMatchesAHandCalculation) {
  const HandCase hand;
  ASSERT_EQ(hand.terms[HandCase::kMonth].recruitment.social_work_posts, 630);
  ASSERT_EQ(hand.terms[HandCase::kMonth].recruitment.practice_manager_posts, 86);
  const MonthCosts c = hand.costs();
  // (6 x 19,000 + 400 x 30,000 + 80 x 32,500 + 70 x 40,000) x 1.28 / 12
  EXPECT_NEAR(c.salaries, 1'868'160.00, 0.01);
  // (400 x 1,500 + 80 x 1,500 + 70 x 1,000) x 1.28 / 12
  EXPECT_NEAR(c.supplements, 84'266.67, 0.01);
  EXPECT_NEAR(c.agency, 290'000.00, 0.01);      // 50 x 58,000 x 1.2 / 12
  EXPECT_NEAR(c.recruitment, 19'000.00, 0.01);  // 5 x 3,000 + 0.5 x 8,000
  EXPECT_NEAR(c.asye, 37'500.00, 0.01);         // 150 x (2,000 + 1,000) / 12
  EXPECT_NEAR(c.marketing, 10'000.00, 0.01);
  EXPECT_NEAR(c.retention, 6'000.00, 0.01);     // 3 x 2,000
  EXPECT_NEAR(c.programmes, 225'000.00, 0.01);  // 20,000 + 5,000 + 10 x 20,000
  EXPECT_NEAR(c.total(), 2'539'926.67, 0.01);
  // 630 x 30,000 x 1.28 / 12 + 86 x 40,000 x 1.28 / 12
  EXPECT_NEAR(c.budget, 2'382'933.33, 0.01);
  // Empty: 630 - 400 - 80 - 50 = 100 social work posts at 3,200 a month and
  // 86 - 70 = 16 manager posts at 4,266.67.
  EXPECT_NEAR(c.underspend, 388'266.67, 0.01);
  // Supplements, retention, programmes, the policy's marketing, the ASYE
  // programme's 150 x 1,000 / 12 and the budget of the 30 + 8 added posts.
  EXPECT_NEAR(c.policy, 84'266.67 + 6'000 + 225'000 + 10'000 + 12'500 + 96'000 + 34'133.33, 0.02);
  EXPECT_NEAR(c.staffing, c.total() + c.underspend - c.policy, 1e-6);
}

TEST(Costs, AnEmptyPostIsNeverASaving) {
  HandCase hand;
  const MonthCosts full = hand.costs();
  hand.staff.fte_in_role[0] -= 1;  // a grade 8 social worker leaves; nobody covers the post
  const MonthCosts one_empty = hand.costs();
  EXPECT_NEAR(full.total() - one_empty.total(), (30'000 + 1'500) * 1.28 / 12, 1e-6);  // paid out: less
  // Against the establishment the staffing spend is unchanged: the empty
  // post's budget counts as spent. Only the supplement nobody is paid is
  // less, and it is the policy's own spending.
  EXPECT_NEAR(one_empty.staffing, full.staffing, 1e-6);
  EXPECT_NEAR(full.policy - one_empty.policy, 1'500 * 1.28 / 12, 1e-6);
  // Covered by an agency worker instead, the post costs the agency's rate.
  hand.staff.agency_fte += 1;
  const MonthCosts covered = hand.costs();
  EXPECT_NEAR(covered.against_establishment() - one_empty.against_establishment(),
              58'000 * 1.2 / 12 - 30'000 * 1.28 / 12, 1e-6);
}

TEST(Costs, NobodyInPostCostsTheWholeBudget) {
  const Parameters p = test::baseline_parameters();
  std::vector<MonthTerms> terms;
  terms_for_run(p, terms);
  const MonthCosts c = month_costs(p, terms[0], StaffInPost{}, MonthFlows{}, 1.0, 0.0);
  EXPECT_EQ(c.total(), 0.0);
  EXPECT_NEAR(c.budget, 600 * 3'200.0 + 78 * 40'000 * 1.28 / 12, 1e-6);
  EXPECT_NEAR(c.underspend, c.budget, 1e-6);
  EXPECT_NEAR(c.against_establishment(), c.budget, 1e-6);
}

}  // namespace
}  // namespace wfsim::model
