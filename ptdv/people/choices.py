"""Reference lists: the 54 official ethnic groups (GSO codes), religions, education."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Official names of the 54 ethnic groups (Quyết định 121-TCTK/PPCĐ, 1979), GSO codes.
ETHNIC_GROUPS: list[tuple[str, str]] = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Hmông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ-đu"),
    ("54", "Rơ-măm"),
]
ETHNICITY_CODES = frozenset(code for code, _name in ETHNIC_GROUPS)
KINH = "01"
# Other spellings seen in real files → official code (folded, see core.text.fold).
ETHNICITY_ALIASES = {
    "mong": "08",
    "h'mong": "08",
    "hmong": "08",
    "h mong": "08",
    "meo": "08",
    "khmer": "05",
    "kho me": "05",
    "khome": "05",
    "muong": "06",
    "thai": "03",
    "san chay": "15",
    "cao lan": "15",
    "san chi": "15",
    "giarai": "10",
    "gia rai": "10",
    "ede": "12",
    "e de": "12",
    "bana": "13",
    "ba na": "13",
    "xo dang": "14",
    "bru van kieu": "23",
    "van kieu": "23",
    "kho mu": "29",
    "khomu": "29",
}


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHISM = "buddhism", _("Buddhism")
    CATHOLICISM = "catholicism", _("Catholicism")
    PROTESTANTISM = "protestantism", _("Protestantism")
    CAO_DAI = "cao_dai", _("Cao Dai")
    HOA_HAO = "hoa_hao", _("Hoa Hao Buddhism")
    ISLAM = "islam", _("Islam")
    BAHAI = "bahai", _("Baha'i")
    OTHER = "other", _("Other religion")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class GeneralEducation(models.TextChoices):
    """General schooling, ordered from lowest; the rules compare by ``EDUCATION_RANK``."""

    NONE = "none", _("None")
    LITERATE = "literate", _("Literate (reads and writes Quốc ngữ)")
    PRIMARY = "primary", _("Primary (5/12)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (9/12)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (12/12)")


EDUCATION_RANK = {
    GeneralEducation.NONE: 0,
    GeneralEducation.LITERATE: 1,
    GeneralEducation.PRIMARY: 2,
    GeneralEducation.LOWER_SECONDARY: 3,
    GeneralEducation.UPPER_SECONDARY: 4,
}


class ProfessionalEducation(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary vocational")
    INTERMEDIATE = "intermediate", _("Intermediate")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    BACHELOR = "bachelor", _("Bachelor of political science")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Cadre / civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("Public service employee")
    BUSINESS_EMPLOYEE = "business_employee", _("State business employee")
    WORKER = "worker", _("Worker")
    FARMER = "farmer", _("Farmer")
    FISHERMAN = "fisherman", _("Fisherman working at sea")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    STUDENT = "student", _("Pupil / student")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private / foreign-invested enterprise employee")
    NON_PUBLIC_SERVICE = "non_public_service", _("Non-public service unit employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")
