from tests.checks.conftest import found, texts


def test_english_office_left_in_german_text_is_found():
    target = ("Hikvisions Brief wurde vom Biometrics and Surveillance Camera Commissioner, einem unabhängigen "
              "Wachhund, veröffentlicht.")
    findings = found("untranslated", target)
    assert texts(findings) == ["Biometrics and Surveillance Camera Commissioner"]
    assert findings[0].type == "untranslated"


def test_english_clause_inside_german_sentence_is_found():
    findings = found("untranslated", "Er sagte, das sei told you so gewesen, und ging nach Hause.")
    assert texts(findings) == ["told you"]  # "so" is German too


def test_loanwords_brands_and_names_are_not_flagged():
    for target in [
        "Die Software von Hikvision steuert die CCTV-Kameras in der Innenstadt.",
        "Lesen Sie den Originalartikel auf Business Insider.",
        "Das Meeting mit dem Team von Tom Tugendhat MP war kurz.",
        "Forschende der University of Eastbrook werteten die Daten aus.",
    ]:
        assert found("untranslated", target) == [], target


def test_with_a_source_the_fragment_must_come_from_it():
    target = "Er sagte, das sei told you so gewesen."
    assert texts(found("untranslated", target, source="He said it was told you so.")) == ["told you"]
    assert found("untranslated", target, source="He said it had been obvious.") == []


def test_copied_title_of_common_nouns_is_found_with_a_source():
    source = ("A regional data-protection watchdog fined the chain. The penalty is the largest the North Lakeland "
              "Data Protection Commissioner has ever imposed.")
    target = ("Ein Datenschutz-Wachhund bestrafte die Kette. Die Strafe ist die größte, die der North Lakeland Data "
              "Protection Commissioner jemals auferlegt hat.")
    assert texts(found("untranslated", target, source=source)) == ["North Lakeland Data Protection Commissioner"]
    human = "Es ist das höchste Bußgeld, das die Datenschutzbeauftragte von North Lakeland je verhängt hat."
    assert found("untranslated", human, source=source) == []


def test_names_listed_with_commas_numbers_with_units_and_urls_make_no_run():
    source = ("The shop on Coventry Road, Small Heath, sends parcels by Royal Mail 1st Class Signed For; prices are "
              "at www.example.com/pricing.")
    target = ("Der Laden in der Coventry Road, Small Heath, verschickt Pakete per Royal Mail 1st Class Signed For; die "
              "Preise stehen auf www.example.com/pricing.")
    assert found("untranslated", target, source=source) == []
