# WithUs. Two commands matter:
#   make run    set everything up and run on SQLite with demo data (logins printed)
#   make test   set up the test tools and run every check and test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# Tests run on both cores of a small machine; TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2

.PHONY: run test setup setup-dev messages lint typecheck checks pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/python -m withus.core.compilemessages

run: setup
	$(BIN)/withus demo
	@echo ""
	@echo "Open http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	PORT=$(PORT) $(BIN)/withus serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy withus

checks: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	WITHUS_ENV=production WITHUS_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-secret-key-value-xyz \
	  WITHUS_ENCRYPTION_KEY=check WITHUS_ALLOWED_HOSTS=withus.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest: setup
	$(BIN)/pytest -n $(TEST_WORKERS)

test: lint typecheck checks pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
