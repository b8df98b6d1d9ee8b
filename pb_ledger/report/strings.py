"""The evaluation report's words in Arabic (default), French and English: section titles, column headings, and
the values that are codes in the read models (channels, statuses, phases, measures)."""

from __future__ import annotations

from pb_ledger.web import i18n, labels

LANGUAGES = i18n.LANGUAGES

WORDS: dict[str, tuple[str, str, str]] = {  # (ar, fr, en)
    "report_title": ("تقرير تقييم الميزانية التشاركية", "Rapport d'évaluation du budget participatif",
                     "Participatory budgeting evaluation report"),
    "provenance": ("أُعدّ هذا التقرير من نماذج القراءة المبنية من السجل الموقّع وحده، عند المُدخل",
                   "Rapport établi à partir des seuls modèles de lecture construits depuis le journal signé, à l'entrée",
                   "Computed from the read models built from the signed log only, at entry"),
    "head": ("بصمة آخر مُدخل", "empreinte de la dernière entrée", "hash of the last entry"),
    "summary": ("ملخص التقييم المنشور", "Synthèse publiée", "Published summary"),
    "lessons": ("الدروس المستخلصة", "Enseignements", "Lessons learned"),
    "budget": ("الميزانية", "Budget", "Budget"), "rule": ("قاعدة الفرز", "Règle de dépouillement", "Counting rule"),
    "phase": ("المرحلة", "Phase", "Phase"), "spent": ("المبلغ المخصص", "Montant attribué", "Amount allocated"),
    "no_data": ("لا توجد معطيات بعد.", "Pas encore de données.", "No data yet."),
    # sections (one per table)
    "turnout": ("نسبة المشاركة", "Participation par rapport aux inscrits", "Turnout against eligible residents"),
    "participation_by_channel": ("المشاركة حسب قناة التصويت", "Participation par canal", "Participation by channel"),
    "participation_by_district": ("المشاركة حسب الحي", "Participation par quartier", "Participation by district"),
    "participation_by_phase": ("المشاركة حسب المرحلة", "Participation par phase", "Participation by phase"),
    "ideas_by_status": ("الأفكار حسب مآلها", "Idées par statut", "Ideas by status"),
    "ideas_by_channel": ("الأفكار حسب قناة الإيداع", "Idées par canal", "Ideas by channel"),
    "ideas_by_district": ("الأفكار حسب الحي", "Idées par quartier", "Ideas by district"),
    "rejections_by_criterion": ("الرفض حسب المعيار", "Rejets par critère", "Rejections by criterion"),
    "money_by_district": ("المبالغ حسب الحي", "Montants par quartier", "Money by district"),
    "money_by_category": ("المبالغ حسب المجال", "Montants par catégorie", "Money by category"),
    "implementation": ("تقدم إنجاز المشاريع", "Avancement des travaux", "Implementation progress"),
    "timeline": ("الجدول الزمني: المبرمج والمنجز", "Calendrier : prévu et réalisé", "Timeline: planned and actual"),
    "surveys": ("نتائج استطلاعات الرأي", "Résultats des enquêtes", "Survey results"),
    # columns
    "eligible": ("المسجلون المؤهلون", "Inscrits", "Eligible"), "ballots_cast": ("الأصوات المدلى بها", "Bulletins déposés",
                                                                                  "Ballots cast"),
    "ballots_counted": ("الأصوات المحتسبة", "Bulletins comptés", "Ballots counted"),
    "turnout_percent": ("نسبة المشاركة ٪", "Participation %", "Turnout %"),
    "share_percent": ("الحصة ٪", "Part %", "Share %"), "channel": ("القناة", "Canal", "Channel"),
    "district": ("الحي", "Quartier", "District"), "measure": ("المؤشر", "Indicateur", "Measure"),
    "count": ("العدد", "Nombre", "Count"), "status": ("الحالة", "Statut", "Status"),
    "ideas": ("الأفكار", "Idées", "Ideas"), "submitted": ("المودعة", "Déposées", "Submitted"),
    "accepted": ("المقبولة", "Retenues", "Accepted"), "rejected": ("المرفوضة", "Rejetées", "Rejected"),
    "merged": ("المدمجة", "Fusionnées", "Merged"), "criterion": ("المعيار", "Critère", "Criterion"),
    "label": ("نص المعيار", "Libellé", "Label"), "ideas_rejected": ("أفكار مرفوضة", "Idées rejetées", "Ideas rejected"),
    "rejection_decisions": ("قرارات الرفض", "Décisions de rejet", "Rejection decisions"),
    "envelope": ("الغلاف المالي", "Enveloppe", "Envelope"),
    "projects_on_ballot": ("المشاريع المعروضة للتصويت", "Projets soumis au vote", "Projects on the ballot"),
    "cost_on_ballot": ("كلفة المشاريع المعروضة", "Coût des projets soumis", "Cost on the ballot"),
    "funded_projects": ("المشاريع الممولة", "Projets financés", "Funded projects"),
    "funded_amount": ("المبلغ الممول", "Montant financé", "Amount funded"), "category": ("المجال", "Catégorie", "Category"),
    "project": ("المشروع", "Projet", "Project"), "title": ("العنوان", "Titre", "Title"), "cost": ("الكلفة", "Coût", "Cost"),
    "percent": ("نسبة الإنجاز ٪", "Avancement %", "Progress %"),
    "works_started": ("بداية الأشغال", "Début des travaux", "Works started"), "ended": ("النهاية", "Fin", "Ended"),
    "delays": ("التأخيرات", "Retards", "Delays"), "last_delay_reason": ("سبب آخر تأخير", "Motif du dernier retard",
                                                                       "Reason for the last delay"),
    "planned_start": ("البداية المبرمجة", "Début prévu", "Planned start"),
    "planned_end": ("النهاية المبرمجة", "Fin prévue", "Planned end"), "started": ("البداية الفعلية", "Début réel",
                                                                                  "Started"),
    "days_late": ("أيام التأخير", "Jours de retard", "Days late"), "survey": ("الاستطلاع", "Enquête", "Survey"),
    "responses": ("الأجوبة", "Réponses", "Responses"), "question": ("السؤال", "Question", "Question"),
    "answer": ("الجواب", "Réponse", "Answer"), "answers": ("العدد", "Nombre", "Count"),
    # values
    "online": ("عبر الإنترنت", "En ligne", "Online"), "paper": ("ورقي", "Papier", "Paper"),
    "forum": ("منتدى المواطنين", "Forum citoyen", "Citizen forum"), "import": ("مستورد", "Importé", "Imported"),
    "carried": ("منقول من الدورة السابقة", "Reportée du cycle précédent", "Carried from the last cycle"),
    "not-started": ("لم يبدأ", "Non commencé", "Not started"), "planned": ("مبرمج", "Programmé", "Planned"),
    "procurement": ("طلب العروض", "Appel d'offres", "Procurement"), "works-started": ("بدأت الأشغال", "Travaux commencés",
                                                                                     "Works started"),
    "progress": ("في طور الإنجاز", "En cours", "In progress"), "delayed": ("متأخر", "En retard", "Delayed"),
    "completed": ("منجز", "Achevé", "Completed"), "cancelled": ("ملغى", "Annulé", "Cancelled"),
    "ideas_submitted": ("الأفكار المودعة", "Idées déposées", "Ideas submitted"),
    "forums_held": ("المنتديات المنعقدة", "Forums tenus", "Forums held"),
    "forum_attendance": ("الحاضرون في المنتديات", "Participants aux forums", "Forum attendance"),
    "appeals_lodged": ("الطعون المقدمة", "Recours déposés", "Appeals lodged"),
    "site_visits_held": ("الزيارات الميدانية", "Visites de chantier", "Site visits held"),
    "site_visit_attendance": ("الحاضرون في الزيارات", "Participants aux visites", "Site visit attendance"),
    "survey_responses": ("أجوبة الاستطلاعات", "Réponses aux enquêtes", "Survey responses"),
    "none": ("غير محدد", "Non précisé", "Not given"),
}


def word(key: str, lang: str) -> str:
    """The key's word in `lang`: the report's own, else the pages' word for a phase or an idea's status (the gettext
    catalogue, pb_ledger/web/labels.py), else the key itself (a district, a category …)."""
    if key in WORDS:
        return WORDS[key][LANGUAGES.index(lang)]
    label = labels.PHASES.get(key) or labels.STATUSES.get(key)
    return i18n.translations(lang).gettext(label) if label else key
