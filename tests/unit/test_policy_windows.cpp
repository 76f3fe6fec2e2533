// Policy windows month by month (MODEL.md sections 7 and 12): each window's
// first and last month is checked on its own, so that a window one month too
// long, too short or too late fails. The statistical tests in
// tests/statistical/test_policies.cpp check the same windows' effect on
// leaving; these check where the windows are.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "model/costs.hpp"
#include "model/leaving.hpp"
#include "model/pay.hpp"
#include "model/recruitment.hpp"
#include "model_fixture.hpp"

namespace wfsim::model {
namespace {

// One payment of 3,000 at 24 months' service; anticipation in the 3 months
// before it, clawback for 6 months after, an exodus over the next 4.
struct RetentionCase {
  RetentionPaymentPolicy policy;
  AttritionParameters attrition;
  PayTerms pay;
  static constexpr int kMilestone = 24;

  RetentionCase() {
    policy.enabled = true;
    policy.start_month = 0;
    policy.amount_gbp = 3000;
    policy.tenure_milestones_months = {kMilestone};
    policy.anticipation_months = 3;
    policy.anticipation_coefficient = 2.0;
    policy.clawback_months = 6;
    policy.clawback_hazard_multiplier = 0.5;
    attrition.retention_exodus_share = 0.5;
    attrition.retention_exodus_months = 4;
    pay.salary_gbp_per_year = {30000, 32000, 40000};
  }
  double multiplier(int tenure, int month = 30) const {
    return retention_multiplier(policy, attrition, pay, Role::social_worker, Band::experienced, tenure,
                                month);
  }
};

TEST(PolicyWindows, RetentionPaymentAnticipationClawbackAndExodusEachLastTheirStatedMonths) {
  const RetentionCase c;
  const double anticipation = std::exp(-2.0 * 3000 / 30000);
  // Months of leaving held back: 3 x (1 - anticipation) + 6 x (1 - 0.5),
  // half of it returning over 4 months.
  const double exodus = 1 + 0.5 * (3 * (1 - anticipation) + 6 * 0.5) / 4;
  // The payment is made in the month whose step takes service from 23 to 24
  // months, so leaving at 21, 22 and 23 months forgoes it; leaving at 24 to
  // 29 months repays it; 30 to 33 are the exodus.
  for (int tenure = 12; tenure <= 40; ++tenure) {
    double expected = 1.0;
    std::string window = "none";
    if (tenure >= 21 && tenure <= 23) {
      expected = anticipation;
      window = "anticipation";
    } else if (tenure >= 24 && tenure <= 29) {
      expected = 0.5;
      window = "clawback";
    } else if (tenure >= 30 && tenure <= 33) {
      expected = exodus;
      window = "exodus";
    }
    EXPECT_NEAR(c.multiplier(tenure), expected, 1e-12) << "tenure " << tenure << " (" << window << ")";
  }
}

TEST(PolicyWindows, RetentionPaymentIsDueExactlyAtTheMilestoneFromTheStartMonth) {
  RetentionCase c;
  c.policy.start_month = 10;
  for (int tenure = 20; tenure <= 28; ++tenure)
    EXPECT_EQ(retention_payment_due(c.policy, Role::social_worker, Band::experienced, tenure, 10),
              tenure == RetentionCase::kMilestone)
        << "tenure " << tenure;
  EXPECT_FALSE(retention_payment_due(c.policy, Role::social_worker, Band::experienced, 24, 9));
  // A payment that would have fallen before the policy started is neither
  // anticipated nor clawed back: at month 9 with 22 months' service the
  // payment would be made in month 10 (anticipated); at month 8, in month 9
  // (before the start: nothing).
  EXPECT_LT(c.multiplier(22, 9), 1.0);
  EXPECT_EQ(c.multiplier(22, 8), 1.0);
  // Paid in month 10 (service 23 to 24): clawback from month 11, with 24
  // months at its start.
  EXPECT_EQ(c.multiplier(24, 11), 0.5);
  // Paid in month 9, before the start, it would mean clawback at month 10: none.
  EXPECT_EQ(c.multiplier(24, 10), 1.0);
}

TEST(PolicyWindows, RetentionPaymentReachesOnlyTheRolesAndBandsItNames) {
  RetentionCase c;
  c.policy.roles = {true, false, false};
  c.policy.bands = {false, true, true};
  EXPECT_LT(retention_multiplier(c.policy, c.attrition, c.pay, Role::social_worker, Band::early, 22, 30), 1);
  EXPECT_EQ(retention_multiplier(c.policy, c.attrition, c.pay, Role::social_worker, Band::nqsw, 22, 30), 1);
  EXPECT_EQ(
      retention_multiplier(c.policy, c.attrition, c.pay, Role::advanced_practitioner, Band::early, 22, 30),
      1);
  c.policy.amount_gbp = 0;  // a payment of nothing: no window at all
  EXPECT_EQ(retention_multiplier(c.policy, c.attrition, c.pay, Role::social_worker, Band::early, 25, 30), 1);
}

TEST(PolicyWindows, SupplementsAndTheGradeNineUpliftStartInTheirStartMonth) {
  Parameters p = test::all_policies_parameters();
  p.policies.market_supplement.start_month = 5;
  const PayTerms before = pay_terms(p, 4);
  const PayTerms from = pay_terms(p, 5);
  EXPECT_EQ(before.supplement_gbp_per_year[0], 0);
  EXPECT_EQ(from.supplement_gbp_per_year[0], 1500);
  EXPECT_NEAR(from.gap_change[0], -1500.0 / 30000, 1e-15);
  EXPECT_EQ(before.gap_change[0], 0);
  // The uplift policy starts in month 4: 1,500 (the scenario's) before, 2,500 from.
  EXPECT_EQ(pay_terms(p, 3).salary_gbp_per_year[1], 31500);
  EXPECT_EQ(pay_terms(p, 4).salary_gbp_per_year[1], 32500);
}

TEST(PolicyWindows, MarketingRunsForItsDurationAndNoLonger) {
  const Parameters p = test::all_policies_parameters();  // marketing from month 1 for 12 months
  const auto marketing_in = [&](int month) {
    return recruitment_terms(p, pay_terms(p, month), month).policy_marketing_gbp_per_month;
  };
  EXPECT_EQ(marketing_in(0), 0);
  EXPECT_EQ(marketing_in(1), 10000);
  EXPECT_EQ(marketing_in(12), 10000);
  EXPECT_EQ(marketing_in(13), 0);
}

TEST(PolicyWindows, OpenPostsAreFundedPostsLessStaffAndOffersAcceptedNeverBelowNone) {
  EXPECT_EQ(open_posts(600, 550.5, 10), 39);  // 39.5 whole posts open: 39
  EXPECT_EQ(open_posts(600, 590, 10), 0);
  EXPECT_EQ(open_posts(600, 595, 10), 0);  // more offers out than posts: none, not negative
  EXPECT_EQ(open_posts(600, 599.9999999999, 0), 0);
  EXPECT_EQ(open_posts(600, 598.9999999999, 0), 1);  // FTE summed in floating point never loses a post
}

TEST(PolicyWindows, ProgrammeCostsStartInTheirStartMonths) {
  const Parameters p = test::all_policies_parameters();
  // ASYE programme from month 2 at 1,000 a year; workload relief from month
  // 3 at 20,000 a month; work-life from month 0 at 5,000 a month.
  EXPECT_EQ(cost_terms(p, 1).asye_programme_gbp_per_nqsw_per_year, 0);
  EXPECT_EQ(cost_terms(p, 2).asye_programme_gbp_per_nqsw_per_year, 1000);
  EXPECT_EQ(cost_terms(p, 2).asye_support_gbp_per_nqsw_per_year, 3000);
  EXPECT_EQ(cost_terms(p, 2).programmes_gbp_per_month, 5000);
  EXPECT_EQ(cost_terms(p, 3).programmes_gbp_per_month, 25000);
}

}  // namespace
}  // namespace wfsim::model
