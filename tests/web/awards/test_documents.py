"""Every generated document opens: .docx with python-docx, .pdf with pdftotext, the .zip lists
all files; one PDF page is rendered to an image that is not blank."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from tests.web.awards.conftest import docx_text, pdf_text
from thidua.awards.models import Nomination
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"


def expected_words(kind: str) -> list[str]:
    return {
        "to-trinh": ["TỜ TRÌNH", "Cái Tắc", "10.000.000 đ", "Lê Thị Trưởng Phòng"],
        "bien-ban": ["BIÊN BẢN", "Nguyễn Thư Ký", "Cái Tắc", "10.000.000 đ"],
        "bang-tong-hop": ["BẢNG TỔNG HỢP", "Cái Tắc", "Phòng Tư pháp"],
        "bao-cao-tap-the": ["BÁO CÁO THÀNH TÍCH", "Cái Tắc", "10.000.000 đ"],
        "bao-cao-ca-nhan": ["BÁO CÁO THÀNH TÍCH", "Trần Văn Lợi", "12/04/1986"],
        "quyet-dinh": ["QUYẾT ĐỊNH", "Cái Tắc", "10.000.000 đ", "Trần Văn Chủ Tịch"],
        "giay-khen": ["GIẤY KHEN", "Ủy ban nhân dân thị trấn Cái Tắc", "Trần Văn Chủ Tịch"],
        "quyet-dinh-thang": ["QUYẾT ĐỊNH", "Cái Tắc", "1.000.000 đ"],
        "giay-khen-thang": ["GIẤY KHEN", "Cái Tắc", "tháng 6/2021"],
        "giay-khen-ca-nhan": ["GIẤY KHEN", "Trần Văn Lợi"],
    }[kind]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_document_downloads_as_docx_and_pdf_with_the_national_format_and_its_data(dossier, personas,
                                                                                         client_for):
    client = client_for(personas["reviewer"])
    person = Nomination.objects.get().doc_key
    urls = [("to-trinh", "to-trinh/cuoi-nam"), ("bien-ban", "bien-ban/cuoi-nam"),
            ("bang-tong-hop", "bang-tong-hop/cuoi-nam"), ("bao-cao-tap-the", "bao-cao-tap-the/TT-CAI-TAC"),
            ("bao-cao-ca-nhan", f"bao-cao-ca-nhan/{person}"), ("quyet-dinh", "quyet-dinh/cuoi-nam"),
            ("giay-khen", "giay-khen/TT-CAI-TAC"), ("quyet-dinh-thang", "quyet-dinh/2021-06"),
            ("giay-khen-thang", "giay-khen/2021-06"), ("giay-khen-ca-nhan", f"giay-khen/{person}")]
    for kind, path in urls:
        docx = client.get(f"/khen-thuong/van-ban/{path}.docx")
        assert docx.status_code == 200, path
        assert "attachment" in docx["Content-Disposition"]
        text = flat(docx_text(docx.content))
        for word in [MOTTO, SLOGAN, *expected_words(kind)]:
            assert word in text, (path, "docx", word)
        pdf = client.get(f"/khen-thuong/van-ban/{path}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = flat(pdf_text(pdf.content))
        for word in [MOTTO, SLOGAN, *expected_words(kind)]:
            assert word in text, (path, "pdf", word)


def test_a_unit_code_shaped_like_a_month_still_gets_its_own_certificate(dossier, personas, client_for):
    """"P-KT-HT" has a dash where "2021-06" has one: it was read as a month, and its Giấy khen was a 404."""
    Unit.objects.filter(code="P-TU-PHAP").update(code="P-TP-HT")
    client = client_for(personas["reviewer"])
    assert "/khen-thuong/van-ban/giay-khen/P-TP-HT.pdf" in client.get("/khen-thuong/ho-so/").content.decode()
    certificate = client.get("/khen-thuong/van-ban/giay-khen/P-TP-HT.docx")
    assert certificate.status_code == 200
    assert "Phòng Tư pháp" in flat(docx_text(certificate.content))
    assert client.get("/khen-thuong/van-ban/giay-khen/2021-13.docx").status_code == 404


def test_the_year_end_zip_holds_every_document_as_docx_and_pdf(dossier, personas, client_for):
    response = client_for(personas["reviewer"]).get("/khen-thuong/van-ban/ho-so-cuoi-nam.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    stems = ["01-to-trinh", "02-bien-ban", "03-bang-tong-hop", "06-quyet-dinh"]
    for code in ("TT-CAI-TAC", "TT-MOT-NGAN", "X-TAN-HOA", "BP-MOT-CUA", "P-TU-PHAP"):
        stems += [f"04-bao-cao-{code}", f"07-giay-khen-{code}"]
    stems += ["05-bao-cao-TT-CAI-TAC-01", "07-giay-khen-TT-CAI-TAC-01"]  # the nominee's report and Giấy khen
    assert names == sorted(f"{s}.{ext}" for s in stems for ext in ("docx", "pdf"))
    person = Nomination.objects.get()
    certificate = flat(docx_text(archive.read("07-giay-khen-TT-CAI-TAC-01.docx")))
    single = client_for(personas["reviewer"]).get(f"/khen-thuong/van-ban/giay-khen/{person.doc_key}.docx")
    assert "GIẤY KHEN" in certificate and "Trần Văn Lợi" in certificate
    assert certificate == flat(docx_text(single.content))  # the same Giấy khen as offered one by one
    for name in names:
        content = archive.read(name)
        text = flat(docx_text(content) if name.endswith(".docx") else pdf_text(content))
        assert MOTTO in text and SLOGAN in text, name


def test_the_zip_and_the_single_downloads_name_the_criteria_as_the_rubric_does(dossier, personas, client_for):
    """A plan like Plan 211 with its own wording: every ranking table of the set uses the rubric's labels."""
    data = dossier.rubric_data
    for group in data["groups"].values() if isinstance(data["groups"], dict) else data["groups"]:
        for criterion in group["criteria"]:
            if criterion["key"] == "accounts":
                criterion["label"] = "Tài khoản dịch vụ công tạo mới"
    dossier.rubric_data = data
    dossier.save()
    client = client_for(personas["reviewer"])
    archive = zipfile.ZipFile(io.BytesIO(client.get("/khen-thuong/van-ban/ho-so-cuoi-nam.zip").content))
    for name, url in (("02-bien-ban.docx", "/khen-thuong/van-ban/bien-ban/cuoi-nam.docx"),
                      ("03-bang-tong-hop.docx", "/khen-thuong/van-ban/bang-tong-hop/cuoi-nam.docx"),
                      ("04-bao-cao-TT-CAI-TAC.docx", "/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.docx")):
        in_zip, single = docx_text(archive.read(name)), docx_text(client.get(url).content)
        assert "Tài khoản dịch vụ công tạo mới" in in_zip, name
        assert "Tài khoản dịch vụ công tạo mới" in single, url


def test_a_pdf_page_renders_to_an_image_that_is_not_blank(dossier, personas, client_for, tmp_path):
    from PIL import Image

    pdf = client_for(personas["reviewer"]).get("/khen-thuong/van-ban/giay-khen/TT-CAI-TAC.pdf").content
    (tmp_path / "giay-khen.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "giay-khen.pdf"),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    assert width > height  # the certificate is A4 landscape
    dark = sum(image.histogram()[:200])  # grey levels below 200 of 255
    assert dark > 0.01 * width * height


def test_documents_that_need_the_recorded_list_say_what_is_missing(standing, personas, client_for):
    client = client_for(personas["reviewer"])
    response = client.get("/khen-thuong/van-ban/to-trinh/cuoi-nam.docx", follow=True)
    assert "Chưa chốt danh sách đề nghị khen thưởng cuối năm." in response.content.decode()
    assert client.get("/khen-thuong/van-ban/khong-co/cuoi-nam.pdf").status_code == 404


def test_a_unit_reporter_downloads_the_drafts_of_their_own_achievement_reports_only(dossier, personas, client_for):
    from tests.web.conftest import make_user
    from thidua.awards.models import DossierItem
    from thidua.units.models import User

    cai_tac = make_user("caitac", User.Role.REPORTER, Unit.objects.get(code="TT-CAI-TAC"))
    client = client_for(cai_tac)
    page = client.get("/khen-thuong/de-cu/").content.decode()
    person = Nomination.objects.get(full_name="Trần Văn Lợi")
    assert "Báo cáo thành tích của đơn vị" in page
    assert "/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.docx" in page
    assert f"/khen-thuong/van-ban/bao-cao-ca-nhan/ca-nhan-{person.pk}.pdf" in page

    own = client.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.docx")
    assert own.status_code == 200 and "BÁO CÁO THÀNH TÍCH" in docx_text(own.content)
    individual = client.get(f"/khen-thuong/van-ban/bao-cao-ca-nhan/ca-nhan-{person.pk}.pdf")
    assert individual.status_code == 200 and "Trần Văn Lợi" in pdf_text(individual.content)
    # the dossier tracker follows what Home Affairs makes, not a unit's own drafts
    assert DossierItem.objects.get(proposal__unit__code="TT-CAI-TAC", kind="bao_cao").generated_at is None

    bob = client_for(personas["other_commune_reporter"])
    for path in ("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.docx",
                 f"/khen-thuong/van-ban/bao-cao-ca-nhan/ca-nhan-{person.pk}.docx",
                 "/khen-thuong/van-ban/to-trinh/cuoi-nam.pdf", "/khen-thuong/van-ban/giay-khen/TT-MOT-NGAN.pdf"):
        assert bob.get(path).status_code == 403, path
    assert bob.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-MOT-NGAN.pdf").status_code == 200
    assert client_for(personas["outsider"]).get(
        "/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.pdf").status_code == 403
    client.logout()
    assert client.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.pdf").status_code == 302  # to the login


def test_before_the_list_is_recorded_a_reporter_sees_no_documents(standing, personas, client_for):
    page = client_for(personas["commune_reporter"]).get("/khen-thuong/de-cu/").content.decode()
    assert "Báo cáo thành tích của đơn vị" not in page
    response = client_for(personas["commune_reporter"]).get("/khen-thuong/van-ban/bao-cao-tap-the/X-TAN-HOA.pdf",
                                                             follow=True)
    assert "Chưa chốt danh sách đề nghị khen thưởng cuối năm." in response.content.decode()


def test_an_achievement_report_lists_the_monthly_awards_the_unit_already_received(dossier, personas, client_for):
    """Section III («Các hình thức khen thưởng đã được nhận») names the campaign's monthly award, then its
    decision once recorded; a unit without one says «Không.»; a revoked award is not listed."""
    from thidua.awards.models import MonthlyAward
    from thidua.awards.services import REVOKE, monthly_award_flag_resolve, monthly_award_record_decision
    from thidua.core import clock
    from thidua.documents.text import vn_date_words

    client = client_for(personas["reviewer"])

    def section_three(code: str) -> str:
        text = flat(docx_text(client.get(f"/khen-thuong/van-ban/bao-cao-tap-the/{code}.docx").content))
        return text[text.index("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC NHẬN"):]

    award_line = "Giấy khen của Chủ tịch UBND huyện khen thưởng đột xuất tháng 6/2021"
    assert award_line in section_three("TT-CAI-TAC")
    assert section_three("TT-MOT-NGAN").split("NHẬN", 1)[1].lstrip().startswith("Không.")

    award = MonthlyAward.objects.in_force().get(campaign=dossier, month="2021-06")
    signed_on = clock.today()  # the fixture decided the award at the application's time
    monthly_award_record_decision(award=award, number="45/QĐ-UBND", signed_on=signed_on, actor=personas["reviewer"])
    pdf = flat(pdf_text(client.get("/khen-thuong/van-ban/bao-cao-tap-the/TT-CAI-TAC.pdf").content))
    assert f"{award_line} (Quyết định số 45/QĐ-UBND {vn_date_words(signed_on)})" in pdf

    MonthlyAward.objects.filter(pk=award.pk).update(flagged=True, flag_reason="Báo cáo tháng 6 không trung thực.")
    monthly_award_flag_resolve(award=award, outcome=REVOKE, conclusion="Phúc tra: số liệu tháng 6 không đúng.",
                               actor=personas["reviewer"])
    assert award_line not in section_three("TT-CAI-TAC")


def test_a_departments_report_is_signed_under_its_heads_position_from_the_registry(dossier, personas, client_for):
    """The registry's «Chức vụ thủ trưởng» of a unit that is neither a Phòng nor a Sở (a one-stop shop, a
    provincial centre) signs its Báo cáo thành tích, not the placeholder «THỦ TRƯỞNG ĐƠN VỊ»."""
    Unit.objects.filter(code="BP-MOT-CUA").update(head_title="Giám đốc", head_name="Châu Thị Ngọc")
    client = client_for(personas["reviewer"])
    text = pdf_text(client.get("/khen-thuong/van-ban/bao-cao-tap-the/BP-MOT-CUA.pdf").content)
    assert "GIÁM ĐỐC" in text and "Châu Thị Ngọc" in text and "THỦ TRƯỞNG ĐƠN VỊ" not in text
