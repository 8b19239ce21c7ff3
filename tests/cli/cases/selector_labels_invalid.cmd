# --labels is read as kubectl reads label lists (ConvertSelectorToLabelsMap): a piece without
# '=' is a caret error, exit 2.
selector --labels app=web,tier app
