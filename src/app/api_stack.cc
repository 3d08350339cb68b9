#include "app/api_stack.h"

namespace stream::app {

Result<std::unique_ptr<ApiStack>> ApiStack::Create(Store& store, const Clock& clock,
                                                   ApiStackOptions options) {
  std::unique_ptr<ApiStack> s(new ApiStack());
  if (options.identity_key.size() < 32)
    return Fail(ErrorCode::kCryptoError, "the identity key must be 32 bytes", "identity.key");
  STREAM_ASSIGN_OR_RETURN(auto vault, service::IdentityVault::FromKey(options.identity_key));
  s->vault_ = vault;
  s->pseudonyms_ = std::make_unique<service::StudyPseudonyms>(options.identity_key);
  s->registry_ = std::make_unique<service::RegistryService>(store, clock, &*s->vault_);
  s->accounts_ = std::make_unique<service::AccountService>(store, clock);
  s->sessions_ = std::make_unique<service::SessionRegistry>(clock, options.session_limits);
  s->protocols_ =
      std::make_unique<service::ProtocolService>(store, clock, std::move(options.protocols));
  STREAM_RETURN_IF_ERROR(s->protocols_->Start());
  s->enrolments_ =
      std::make_unique<service::EnrolmentService>(store, clock, options.randomisation_key);
  s->exports_ = std::make_unique<service::ExportService>(store, *s->pseudonyms_);
  auto* protocols = s->protocols_.get();
  s->audit_ = std::make_unique<service::AuditQuery>(store, [protocols](const std::string& id) {
    const auto* p = protocols->Current()->Find(id);
    return !p || (p->randomisation && p->randomisation->blinded);  // unknown: assume blinded
  });
  s->dashboards_ = std::make_unique<service::DashboardService>(store, clock);
  s->services_ = std::make_unique<http::ApiServices>(http::ApiServices{
      *s->registry_, *s->accounts_, *s->sessions_, *s->protocols_, *s->enrolments_, *s->exports_,
      *s->audit_, *s->dashboards_, *s->pseudonyms_, clock, options.public_origin});
  s->router_ = std::make_unique<http::Router>(*s->services_);
  return s;
}

}  // namespace stream::app
