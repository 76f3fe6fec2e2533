// The month's leaving hazards before burnout (MODEL.md sections 7 and 12)
// against figures worked by hand: the observed rates at the operating point,
// the change of the pay gap, grade 9 recognition, the ASYE programme in the
// newly qualified band only, and career breaks and flexible working through
// the destinations.
#include <gtest/gtest.h>

#include <cmath>

#include "model/leaving.hpp"
#include "model/pay.hpp"
#include "model_fixture.hpp"

namespace wfsim::model {
namespace {

LeavingTerms terms_in(const Parameters& p, int month) {
  return leaving_terms(p, pay_terms(p, month), BurnoutOffsets{}, month);
}

// Observed rates 3%, 11.5%, 3.3% by band; managers 3%; grade 9 coefficient
// -0.3; pay gap coefficient 3.
TEST(LeavingTerms, AtTheOperatingPointHazardsAreTheObservedRates) {
  const Parameters p = test::baseline_parameters();
  const LeavingTerms t = terms_in(p, 0);
  const BandValues observed{0.03, 0.115, 0.033};
  for (int band = 0; band < kBandCount; ++band) {
    EXPECT_NEAR(t.hazard_factor[0][band], observed[band], 1e-15) << "band " << band;
    EXPECT_NEAR(t.hazard_factor[1][band], observed[band] * std::exp(-0.3), 1e-15) << "band " << band;
    EXPECT_NEAR(t.hazard_factor[2][band], 0.03, 1e-15) << "band " << band;
  }
  EXPECT_NEAR(t.destination_shares[0], 0.35, 1e-15);
}

TEST(LeavingTerms, ASupplementNarrowsThePayGapAndLowersLeaving) {
  Parameters p = test::baseline_parameters();
  auto& supplement = p.policies.market_supplement;
  supplement.enabled = true;
  supplement.start_month = 3;
  supplement.gbp_per_year[0] = 1500;  // social workers: 5% of 30,000
  supplement.gbp_per_year[2] = 2000;  // practice managers: 5% of 40,000
  EXPECT_NEAR(terms_in(p, 2).hazard_factor[0][1], 0.115, 1e-15);
  const LeavingTerms t = terms_in(p, 3);
  EXPECT_NEAR(t.hazard_factor[0][1], 0.115 * std::exp(3 * -0.05), 1e-15);  // 0.0990
  EXPECT_NEAR(t.hazard_factor[2][0], 0.03 * std::exp(3 * -0.05), 1e-15);
  EXPECT_NEAR(t.hazard_factor[1][1], 0.115 * std::exp(-0.3), 1e-15);  // grade 9 gets nothing here
}

TEST(LeavingTerms, TheAsyeProgrammeLowersLeavingOfTheNewlyQualifiedOnly) {
  Parameters p = test::baseline_parameters();
  auto& asye = p.policies.asye_programme;
  asye.enabled = true;
  asye.start_month = 0;
  asye.nqsw_hazard_multiplier = 0.8;
  const LeavingTerms t = terms_in(p, 0);
  EXPECT_NEAR(t.hazard_factor[0][0], 0.03 * 0.8, 1e-15);
  EXPECT_NEAR(t.hazard_factor[0][1], 0.115, 1e-15);
  EXPECT_NEAR(t.hazard_factor[0][2], 0.033, 1e-15);
}

TEST(LeavingTerms, GradeNineRecognitionAddsToTheGradesCoefficient) {
  Parameters p = test::baseline_parameters();
  auto& ap = p.policies.advanced_practitioner;
  ap.enabled = true;
  ap.start_month = 0;
  ap.recognition_coefficient = -0.2;
  EXPECT_NEAR(terms_in(p, 0).hazard_factor[1][2], 0.033 * std::exp(-0.5), 1e-15);
}

TEST(LeavingTerms, CareerBreaksKeepThoseLeavingTheProfessionAndFlexibleWorkingEveryone) {
  Parameters p =
      test::baseline_parameters();  // destinations 35% neighbour, 25% agency, 25% out, 15% internal
  auto& work_life = p.policies.work_life;
  work_life.enabled = true;
  work_life.start_month = 0;
  work_life.career_break_hazard_multiplier = 0.8;
  work_life.flexible_working_hazard_multiplier = 0.9;
  const LeavingTerms t = terms_in(p, 0);
  // Leaving out of the profession falls from 0.25 to 0.20 of the rate: 0.95
  // of the old leaving, then flexible working takes a tenth off all of it.
  EXPECT_NEAR(t.hazard_factor[0][1], 0.115 * 0.95 * 0.9, 1e-15);
  EXPECT_NEAR(t.destination_shares[0], 0.35 / 0.95, 1e-15);
  EXPECT_NEAR(t.destination_shares[1], 0.25 / 0.95, 1e-15);
  EXPECT_NEAR(t.destination_shares[2], 0.20 / 0.95, 1e-15);
  EXPECT_NEAR(t.destination_shares[3], 0.15 / 0.95, 1e-15);
}

TEST(LeavingTerms, AMonthlyProbabilityIsTheYearlyHazardOverTwelveMonths) {
  EXPECT_NEAR(monthly_probability(0.12), 1 - std::exp(-0.01), 1e-15);  // 0.00995
  EXPECT_NEAR(1 - std::pow(1 - monthly_probability(0.3), 12), 1 - std::exp(-0.3), 1e-12);
}

}  // namespace
}  // namespace wfsim::model
