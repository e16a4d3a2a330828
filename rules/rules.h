// One factory per rule; each is defined in the rule's own file beside its doc page and
// registered in rule_table.cc.
#pragma once

#include <memory>

#include "engine/rule.h"

namespace pd {

std::unique_ptr<Rule> makePD101();
std::unique_ptr<Rule> makePD102();
std::unique_ptr<Rule> makePD103();
std::unique_ptr<Rule> makePD104();
std::unique_ptr<Rule> makePD105();
std::unique_ptr<Rule> makePD106();
std::unique_ptr<Rule> makePD107();
std::unique_ptr<Rule> makePD108();
std::unique_ptr<Rule> makePD201();
std::unique_ptr<Rule> makePD202();
std::unique_ptr<Rule> makePD203();
std::unique_ptr<Rule> makePD204();
std::unique_ptr<Rule> makePD205();
std::unique_ptr<Rule> makePD206();
std::unique_ptr<Rule> makePD207();
std::unique_ptr<Rule> makePD301();
std::unique_ptr<Rule> makePD302();
std::unique_ptr<Rule> makePD303();
std::unique_ptr<Rule> makePD304();
std::unique_ptr<Rule> makePD305();
std::unique_ptr<Rule> makePD306();
std::unique_ptr<Rule> makePD307();
std::unique_ptr<Rule> makePD401();
std::unique_ptr<Rule> makePD402();
std::unique_ptr<Rule> makePD403();
std::unique_ptr<Rule> makePD404();
std::unique_ptr<Rule> makePD405();
std::unique_ptr<Rule> makePD406();
std::unique_ptr<Rule> makePD407();
std::unique_ptr<Rule> makePD408();
std::unique_ptr<Rule> makePD409();
std::unique_ptr<Rule> makePD501();
std::unique_ptr<Rule> makePD502();

}  // namespace pd
