from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "withus.people"
    verbose_name = "People"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Contact details are masked; health and equality answers are masked whole.
        auditlog.register(
            models.Person,
            m2m_fields={"tags"},
            mask_fields=["email", "phone", "address", "postcode", "reasonable_adjustments", "dietary_needs"],
        )
        auditlog.register(models.WellbeingPlan, mask_fields=["what_helps", "who_to_contact"])
        auditlog.register(models.EqualityMonitoring, mask_fields=list(models.EqualityMonitoring.ANSWERS))
        auditlog.register(models.ConsentRecord)
        auditlog.register(models.DbsCheck)
