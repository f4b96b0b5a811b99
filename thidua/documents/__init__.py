"""Official documents of the campaign (.docx, .pdf, HTML preview) and spreadsheet exports.

Pure Python, no Django import. The model (:mod:`.model`) describes a document independently of
its format, following Decree 30/2020/NĐ-CP; the builders (:mod:`.reward`) make the year-end reward
dossier of Plan 211; the renderers print a model as .docx (python-docx), HTML or PDF (ReportLab,
imported lazily); :mod:`.xlsx` writes injection-safe .xlsx and .csv.
"""

from .batch import render_all
from .docx_renderer import render_docx
from .html_renderer import render_html, render_pdf
from .model import (
    Block,
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Signatures,
    Spacer,
    Table,
)
from .reward import (
    DEFAULT_CRITERIA,
    ISSUER_KINDS,
    CollectiveProposal,
    DistrictInfo,
    IndividualProposal,
    MeetingInfo,
    MonthAward,
    MonthReporting,
    Person,
    PlanInfo,
    RankedUnit,
    bang_tong_hop_cham_diem,
    bao_cao_thanh_tich_ca_nhan,
    bao_cao_thanh_tich_tap_the,
    bien_ban_hop_xet,
    giay_khen,
    issuer_from_document,
    legal_basis_on,
    quyet_dinh_khen_thuong,
    thong_bao_ket_qua_thang,
    to_trinh_de_nghi_khen_thuong,
    year_end_dossier,
)
from .text import format_vnd, vn_date_line, vnd_in_words
from .xlsx import Sheet, write_csv, write_xlsx

__all__ = [
    "DEFAULT_CRITERIA",
    "ISSUER_KINDS",
    "Block",
    "Bullets",
    "CollectiveProposal",
    "DistrictInfo",
    "Heading",
    "IndividualProposal",
    "MeetingInfo",
    "MonthAward",
    "MonthReporting",
    "OfficialDocument",
    "Paragraph",
    "Person",
    "PlanInfo",
    "RankedUnit",
    "Sheet",
    "Signature",
    "Signatures",
    "Spacer",
    "Table",
    "bang_tong_hop_cham_diem",
    "bao_cao_thanh_tich_ca_nhan",
    "bao_cao_thanh_tich_tap_the",
    "bien_ban_hop_xet",
    "format_vnd",
    "giay_khen",
    "issuer_from_document",
    "legal_basis_on",
    "quyet_dinh_khen_thuong",
    "render_all",
    "render_docx",
    "render_html",
    "render_pdf",
    "thong_bao_ket_qua_thang",
    "to_trinh_de_nghi_khen_thuong",
    "vn_date_line",
    "vnd_in_words",
    "write_csv",
    "write_xlsx",
    "year_end_dossier",
]
