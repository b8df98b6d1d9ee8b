"""Interface strings in Arabic (default, right-to-left), French and English. Terms follow the municipal guide."""

from __future__ import annotations

LANGUAGES = ("ar", "fr", "en")
DIRECTION = {"ar": "rtl", "fr": "ltr", "en": "ltr"}

STRINGS: dict[str, dict[str, str]] = {
    "app": {"ar": "الميزانية التشاركية", "fr": "Budget participatif", "en": "Participatory budgeting"},
    "cycles": {"ar": "الدورات", "fr": "Cycles", "en": "Cycles"},
    "no_cycles": {"ar": "لا توجد أي دورة بعد.", "fr": "Aucun cycle pour l'instant.", "en": "No cycle yet."},
    "budget": {"ar": "الميزانية", "fr": "Budget", "en": "Budget"},
    "phase": {"ar": "المرحلة", "fr": "Phase", "en": "Phase"},
    "ballots": {"ar": "عدد الأصوات", "fr": "Bulletins", "en": "Ballots"},
    "rule": {"ar": "قاعدة الفرز", "fr": "Règle de dépouillement", "en": "Counting rule"},
    "projects": {"ar": "المشاريع", "fr": "Projets", "en": "Projects"},
    "project": {"ar": "المشروع", "fr": "Projet", "en": "Project"},
    "cost": {"ar": "الكلفة", "fr": "Coût", "en": "Cost"},
    "score": {"ar": "النقاط", "fr": "Score", "en": "Score"},
    "rank": {"ar": "الترتيب", "fr": "Rang", "en": "Rank"},
    "results": {"ar": "النتائج", "fr": "Résultats", "en": "Results"},
    "funded": {"ar": "ممول", "fr": "Financé", "en": "Funded"},
    "not_funded": {"ar": "غير ممول", "fr": "Non financé", "en": "Not funded"},
    "spent": {"ar": "المبلغ المخصص للمشاريع الفائزة", "fr": "Montant attribué", "en": "Amount allocated"},
    "ideas": {"ar": "الأفكار والمقترحات", "fr": "Idées et propositions", "en": "Ideas and proposals"},
    "rejected_ideas": {"ar": "الأفكار المرفوضة وأسباب رفضها", "fr": "Idées rejetées et motifs",
                       "en": "Rejected ideas and the reasons"},
    "idea": {"ar": "الفكرة", "fr": "Idée", "en": "Idea"},
    "rejected_reason": {"ar": "سبب الرفض", "fr": "Motif du rejet", "en": "Reason for rejection"},
    "status": {"ar": "الحالة", "fr": "Statut", "en": "Status"},
    "status_submitted": {"ar": "قيد الدراسة", "fr": "En étude", "en": "Under study"},
    "status_accepted": {"ar": "مقبول", "fr": "Retenue", "en": "Accepted"},
    "status_rejected": {"ar": "مرفوض", "fr": "Rejetée", "en": "Rejected"},
    "phase_launch": {"ar": "إطلاق العملية", "fr": "Lancement", "en": "Launch"},
    "phase_ideas": {"ar": "جمع أفكار ومقترحات المواطنين", "fr": "Collecte des idées", "en": "Collecting ideas"},
    "phase_review": {"ar": "دراسة الأفكار والمقترحات", "fr": "Étude des idées", "en": "Studying the ideas"},
    "phase_vote": {"ar": "التصويت على المشاريع", "fr": "Vote en cours", "en": "Voting open"},
    "phase_counting": {"ar": "انتهى التصويت، الفرز جارٍ", "fr": "Vote clos, dépouillement", "en": "Vote closed, counting"},
    "phase_results": {"ar": "إعلان النتائج", "fr": "Résultats annoncés", "en": "Results announced"},
    "phase_implementation": {"ar": "تتبع تنفيذ المشاريع", "fr": "Suivi des travaux", "en": "Following the works"},
    "phase_evaluation": {"ar": "تقييم العملية", "fr": "Évaluation", "en": "Evaluation"},
    "phase_closed": {"ar": "دورة مختتمة", "fr": "Cycle clos", "en": "Cycle closed"},
    "warning_far-below": {"ar": "تنبيه: كلفة المشاريع المقبولة أقل من الميزانية المخصصة.",
                          "fr": "Attention : les projets retenus coûtent moins que le budget.",
                          "en": "Watch point: the accepted projects cost less than the budget."},
    "warning_far-above": {"ar": "تنبيه: كلفة المشاريع المقبولة تفوق الميزانية بكثير، ولن يموَّل أغلبها.",
                          "fr": "Attention : les projets retenus coûtent bien plus que le budget ; la plupart ne "
                                "seront pas financés.",
                          "en": "Watch point: the accepted projects cost far more than the budget; most cannot be "
                                "funded."},
    "idea_lookup": {"ar": "تتبع فكرتي", "fr": "Suivre mon idée", "en": "Follow my idea"},
    "receipt_code": {"ar": "رمز الوصل", "fr": "Code du récépissé", "en": "Receipt code"},
    "look_up": {"ar": "بحث", "fr": "Chercher", "en": "Look up"},
    "idea_not_found": {"ar": "لا توجد فكرة بهذا الرمز. تحقق من الرمز المدون في الوصل.",
                       "fr": "Aucune idée ne porte ce code. Vérifiez le code de votre récépissé.",
                       "en": "No idea has this code. Check the code on your receipt."},
    "status_merged": {"ar": "مدمجة مع فكرة مماثلة", "fr": "Fusionnée avec une idée semblable",
                      "en": "Merged with a similar idea"},
    "reason": {"ar": "التعليل", "fr": "Motif", "en": "Reason"},
    "history": {"ar": "مسار الفكرة", "fr": "Historique", "en": "History"},
    "event": {"ar": "الحدث", "fr": "Événement", "en": "Event"},
    "details": {"ar": "التفاصيل", "fr": "Détails", "en": "Details"},
    "event_IdeaSubmitted": {"ar": "إيداع الفكرة", "fr": "Idée déposée", "en": "Idea submitted"},
    "event_IdeaAccepted": {"ar": "قبول لجنة الانتقاء", "fr": "Retenue par le comité", "en": "Accepted by the committee"},
    "event_IdeaRejected": {"ar": "رفض لجنة الانتقاء", "fr": "Rejetée par le comité", "en": "Rejected by the committee"},
    "event_IdeasMerged": {"ar": "دمج أفكار مماثلة", "fr": "Idées fusionnées", "en": "Ideas merged"},
    "event_AppealLodged": {"ar": "تقديم طعن", "fr": "Recours déposé", "en": "Appeal lodged"},
    "event_AppealAnswered": {"ar": "جواب اللجنة على الطعن", "fr": "Réponse au recours", "en": "Appeal answered"},
    "event_AuthorDataErased": {"ar": "محو المعطيات الشخصية", "fr": "Données personnelles effacées",
                               "en": "Personal data erased"},
    "field_reason": {"ar": "التعليل", "fr": "Motif", "en": "Reason"},
    "field_revision_reason": {"ar": "سبب المراجعة", "fr": "Motif de la révision", "en": "Reason for the revision"},
    "field_criterion": {"ar": "المعيار", "fr": "Critère", "en": "Criterion"},
    "field_cost": {"ar": "الكلفة", "fr": "Coût", "en": "Cost"},
    "field_statement": {"ar": "نص الطعن", "fr": "Recours", "en": "Appeal"},
    "field_answer": {"ar": "الجواب", "fr": "Réponse", "en": "Answer"},
    "field_outcome": {"ar": "القرار", "fr": "Issue", "en": "Outcome"},
    "field_project": {"ar": "المشروع", "fr": "Projet", "en": "Project"},
    "milestones": {"ar": "تتبع الإنجاز", "fr": "Suivi des travaux", "en": "Progress of the works"},
    "date": {"ar": "التاريخ", "fr": "Date", "en": "Date"},
    "milestone": {"ar": "المرحلة", "fr": "Étape", "en": "Milestone"},
    "verify": {"ar": "تحقق بنفسك", "fr": "Vérifiez vous-même", "en": "Check it yourself"},
    "verify_text": {
        "ar": "كل عملية مسجلة في سجل موقع ومتسلسل. حمّل السجل وأعد الفرز بنفسك باستعمال أداة التحقق pb-verify.",
        "fr": "Chaque action est inscrite dans un journal signé et chaîné. Téléchargez-le et recomptez vous-même "
              "avec l'outil pb-verify.",
        "en": "Every action is written to a signed, hash-chained log. Download it and recount the vote yourself "
              "with the pb-verify tool.",
    },
    "download_log": {"ar": "تحميل السجل", "fr": "Télécharger le journal", "en": "Download the log"},
    "counted_from": {
        "ar": "أُجري الفرز على القيود {size} الأولى من السجل، كما تثبتها نقطة المراقبة الموقعة عند إغلاق التصويت.",
        "fr": "Le dépouillement porte sur les {size} premières entrées du journal, telles que les fixe le point de "
              "contrôle signé à la clôture du vote.",
        "en": "The count was made from the first {size} entries of the log, as fixed by the checkpoint signed when "
              "the vote closed.",
    },
    "checkpoint_link": {"ar": "نقطة المراقبة", "fr": "Point de contrôle", "en": "The checkpoint"},
    "cosigned_by": {"ar": "وقّعها أيضاً الشهود المستقلون:", "fr": "Cosigné par les témoins indépendants :",
                    "en": "Cosigned by the independent witnesses:"},
    "cosigned_later": {"ar": "نقطة مراقبة لاحقة ({size} قيداً) تتضمنها، وقّعها الشهود المستقلون:",
                       "fr": "Un point de contrôle ultérieur ({size} entrées), qui le contient, est cosigné par les "
                             "témoins indépendants :",
                       "en": "A later checkpoint ({size} entries) that contains it is cosigned by the independent "
                             "witnesses:"},
    "consistency_link": {"ar": "إثبات الاتساق", "fr": "preuve de cohérence", "en": "consistency proof"},
    "no_cosignature": {"ar": "لم يوقّع أي شاهد مستقل على نقطة المراقبة هذه بعد.",
                       "fr": "Aucun témoin indépendant n'a encore cosigné ce point de contrôle.",
                       "en": "No independent witness has cosigned this checkpoint yet."},
    "closing_entry": {"ar": "بصمة قيد إغلاق التصويت", "fr": "Empreinte de l'entrée de clôture",
                      "en": "Hash of the entry that closed the vote"},
    "back": {"ar": "كل الدورات", "fr": "Tous les cycles", "en": "All cycles"},
    "not_found": {"ar": "هذه الدورة غير موجودة.", "fr": "Ce cycle n'existe pas.", "en": "This cycle does not exist."},
    "language": {"ar": "اللغة", "fr": "Langue", "en": "Language"},
}


def translator(lang: str) -> dict[str, str]:
    return {key: texts[lang] for key, texts in STRINGS.items()}


def pick_language(requested: str | None) -> str:
    """Arabic unless the visitor chose another language."""
    return requested if requested in LANGUAGES else "ar"
